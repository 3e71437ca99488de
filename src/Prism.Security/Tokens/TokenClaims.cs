using Microsoft.IdentityModel.JsonWebTokens;

namespace Prism.Security.Tokens;

/// <summary>The claims of a validated token that Prism uses.</summary>
/// <param name="Subject"><c>sub</c>.</param>
/// <param name="Email"><c>email</c>; null for service accounts.</param>
/// <param name="EmailVerified"><c>email_verified</c>, when present.</param>
/// <param name="Groups"><c>groups</c> (a JSON array or a single string).</param>
/// <param name="ClientId"><c>client_id</c>, else <c>azp</c>.</param>
/// <param name="Scopes"><c>scope</c> (space-separated string or array).</param>
/// <param name="Roles"><c>roles</c> (array or single string), honoured for service accounts.</param>
/// <param name="ExpiresAt"><c>exp</c>.</param>
public sealed record TokenClaims(
    string? Subject,
    string? Email,
    bool? EmailVerified,
    IReadOnlyList<string> Groups,
    string? ClientId,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Roles,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Reads the claims of a parsed token.</summary>
    public static TokenClaims From(JsonWebToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new TokenClaims(
            String(token, "sub"),
            String(token, "email"),
            Boolean(token, "email_verified"),
            Strings(token, "groups", splitOnSpaces: false),
            String(token, "client_id") ?? String(token, "azp"),
            Strings(token, "scope", splitOnSpaces: true),
            Strings(token, "roles", splitOnSpaces: false),
            token.ValidTo == DateTime.MinValue ? DateTimeOffset.MinValue : new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
    }

    private static string? String(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static bool? Boolean(JsonWebToken token, string name)
    {
        if (token.TryGetPayloadValue<bool>(name, out var flag))
        {
            return flag;
        }

        return String(token, name) is { } text && bool.TryParse(text, out var parsed) ? parsed : null;
    }

    // IdentityModel reads a single string as a one-element array; scope is space-separated (RFC 8693).
    private static List<string> Strings(JsonWebToken token, string name, bool splitOnSpaces)
    {
        if (!token.TryGetPayloadValue<string[]>(name, out var values) || values is null)
        {
            return [];
        }

        var items = splitOnSpaces ? values.SelectMany(v => (v ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)) : values;
        return items.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal).ToList();
    }
}
