using System.Buffers.Text;
using System.Text.Json;

namespace Prism.Cli.Auth;

/// <summary>
/// What an access token says about its holder, read (not validated: the servers do that) from the
/// JWT payload, with the roles Prism derives from the groups by default (RFC-010).
/// </summary>
public sealed record TokenClaims
{
    private static readonly (string Group, string Role)[] DefaultRoleGroups =
    [
        ("prism:admin", "admin"),
        ("prism:operator", "operator"),
        ("prism:viewer", "viewer"),
    ];

    private static readonly Dictionary<string, string[]> RolePermissions = new(StringComparer.Ordinal)
    {
        ["admin"] = ["admin:read", "admin:write", "admin:operational", "admin:audit"],
        ["operator"] = ["admin:read", "admin:operational"],
        ["viewer"] = ["admin:read"],
    };

    /// <summary>Subject.</summary>
    public string? Subject { get; init; }

    /// <summary>Email of a user token.</summary>
    public string? Email { get; init; }

    /// <summary>Name of a user token.</summary>
    public string? Name { get; init; }

    /// <summary>Issuer.</summary>
    public string? Issuer { get; init; }

    /// <summary>Client the token was issued to.</summary>
    public string? ClientId { get; init; }

    /// <summary>Groups claim.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Expiry (<c>exp</c>).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Who the token stands for: the email, or the client id of a service account.</summary>
    public string Identity => Email ?? ClientId ?? Subject ?? "unknown";

    /// <summary>Roles the default group mapping gives (admin, operator, viewer).</summary>
    public IReadOnlyList<string> Roles =>
        [.. DefaultRoleGroups.Where(m => Groups.Contains(m.Group, StringComparer.Ordinal)).Select(m => m.Role)];

    /// <summary>Permissions of those roles.</summary>
    public IReadOnlyList<string> Permissions =>
        [.. Roles.SelectMany(r => RolePermissions[r]).Distinct(StringComparer.Ordinal)];

    /// <summary>Reads the claims of a JWT; an opaque token gives empty claims.</summary>
    public static TokenClaims Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return new TokenClaims();
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var root = payload.RootElement;
            return new TokenClaims
            {
                Subject = Text(root, "sub"),
                Email = Text(root, "email"),
                Name = Text(root, "name"),
                Issuer = Text(root, "iss"),
                ClientId = Text(root, "client_id") ?? Text(root, "azp"),
                Groups = Strings(root, "groups"),
                ExpiresAt = root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : null,
            };
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return new TokenClaims();
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[] Strings(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
        : value.ValueKind == JsonValueKind.String ? [value.GetString()!]
        : [];
}
