using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prism.Cli.Auth;

/// <summary>
/// The tokens prismctl keeps between runs, as stored in <c>PRISM_HOME/token</c>
/// (RFC-010 "Session Establishment").
/// </summary>
public sealed record CachedToken
{
    /// <summary>The bearer token sent to Prism servers.</summary>
    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    /// <summary>Refresh token, when the grant issued one.</summary>
    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    /// <summary>OpenID Connect ID token, when the grant issued one.</summary>
    [JsonPropertyName("id_token")]
    public string? IdToken { get; init; }

    /// <summary>Token type, normally <c>Bearer</c>.</summary>
    [JsonPropertyName("token_type")]
    public string TokenType { get; init; } = "Bearer";

    /// <summary>When the access token expires (RFC 3339, UTC).</summary>
    [JsonPropertyName("expires_at")]
    [JsonConverter(typeof(Rfc3339Converter))]
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>True when the access token is still good for at least <paramref name="margin"/>.</summary>
    public bool IsValidAt(DateTimeOffset now, TimeSpan margin) => ExpiresAt - margin > now;

    /// <summary>Writes date-times as <c>2025-10-09T11:00:00Z</c> and reads any RFC 3339 form.</summary>
    private sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
