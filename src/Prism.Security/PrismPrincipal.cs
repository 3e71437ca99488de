namespace Prism.Security;

/// <summary>
/// The authenticated caller of any Prism API, after token validation and role mapping.
/// </summary>
/// <param name="Subject">Token <c>sub</c>.</param>
/// <param name="Email">Token <c>email</c>; null for service accounts (client_credentials).</param>
/// <param name="ClientId">Token <c>client_id</c> (or <c>azp</c>), when present.</param>
/// <param name="Groups">Token <c>groups</c>, or the groups configured for a service account's client.</param>
/// <param name="Roles">Roles the groups map to: admin, operator, viewer.</param>
/// <param name="Permissions">Permissions the roles grant (admin:read, admin:write, admin:operational, admin:audit).</param>
/// <param name="ExpiresAt">Token expiry.</param>
public sealed record PrismPrincipal(
    string Subject,
    string? Email,
    string? ClientId,
    IReadOnlyList<string> Groups,
    IReadOnlySet<string> Roles,
    IReadOnlySet<string> Permissions,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Token <c>scope</c> values, when present (informational: authorisation uses <see cref="Permissions"/>).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>What revocation checks need of the token: its ids and issue time (null for the local developer).</summary>
    public TokenIdentifiers? Token { get; init; }

    /// <summary>Name used in audit entries and rate limits: email, else client id, else subject.</summary>
    public string Actor => Email ?? ClientId ?? Subject;

    /// <summary>True for tokens without an email (client_credentials).</summary>
    public bool IsServiceAccount => Email is null;

    /// <summary>True when one of the caller's roles grants <paramref name="permission"/>.</summary>
    public bool Has(string permission) => Permissions.Contains(permission);

    /// <summary>True when the caller is in one of <paramref name="groups"/> (or the list is empty).</summary>
    public bool InAnyGroup(IReadOnlyCollection<string> groups) => groups.Count == 0 || groups.Any(Groups.Contains);
}

/// <summary>Identifiers of a validated token that revocation is keyed by; never the token itself.</summary>
/// <param name="TokenId">Prism IdP's <c>oi_tkn_id</c>, else <c>jti</c>.</param>
/// <param name="AuthorizationId">Prism IdP's <c>oi_au_id</c>: the grant (sign-in) the token belongs to.</param>
/// <param name="IssuedAt"><c>iat</c>, when present.</param>
public sealed record TokenIdentifiers(string? TokenId, string? AuthorizationId, DateTimeOffset? IssuedAt);
