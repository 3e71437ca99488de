using Prism.Hosting.Settings;

namespace Prism.Security;

/// <summary>Settings of the security core (token validation and RBAC), shared by admin, proxy and console.</summary>
public static class SecuritySettings
{
    /// <summary>Default accepted audiences: the client ids of Prism's own clients, as Dex puts them in <c>aud</c>.</summary>
    public const string DefaultAudiences = "prismctl,prism-admin-ui,prism-console,prism-automation,prism";

    /// <summary>Turns authentication off (local development only).</summary>
    public static readonly Setting AuthDisabled = new("PRISM_AUTH_DISABLED", "security:auth_disabled", "false",
        "'true' accepts every call as the local developer dev@local.prism with every role. Development only: production refuses to start with it.");

    /// <summary>OIDC issuer whose tokens are accepted.</summary>
    public static readonly Setting Issuer = new("PRISM_OIDC_ISSUER", "security:oidc_issuer", "http://localhost:5556/dex",
        "OIDC issuer whose tokens are accepted; keys come from its discovery document. http is allowed (dev); plain http on a non-loopback host is refused in production.");

    /// <summary>Accepted audiences.</summary>
    public static readonly Setting Audiences = new("PRISM_OIDC_AUDIENCE", "security:oidc_audience", DefaultAudiences,
        "Comma-separated audiences a token's 'aud' must contain one of.");

    /// <summary>How long signing keys are used before a background refresh.</summary>
    public static readonly Setting JwksRefreshInterval = new("PRISM_OIDC_JWKS_REFRESH_INTERVAL", "security:oidc_jwks_refresh_interval", "24h",
        "Age after which cached discovery and signing keys are refreshed in the background (the cached keys keep working meanwhile and while the issuer is unreachable).");

    /// <summary>Rate limit of refetches triggered by an unknown key id.</summary>
    public static readonly Setting JwksRefetchInterval = new("PRISM_OIDC_JWKS_REFETCH_INTERVAL", "security:oidc_jwks_refetch_interval", "30s",
        "Shortest time between two immediate key refetches caused by tokens with an unknown 'kid'.");

    /// <summary>Allowed clock difference with the issuer.</summary>
    public static readonly Setting ClockSkew = new("PRISM_AUTH_CLOCK_SKEW", "security:clock_skew", "60s",
        "Clock difference tolerated when checking a token's exp and nbf.");

    /// <summary>Largest accepted token.</summary>
    public static readonly Setting MaxTokenBytes = new("PRISM_AUTH_MAX_TOKEN_BYTES", "security:max_token_bytes", "16384",
        "Largest bearer token accepted, in bytes; longer tokens are rejected before parsing.");

    /// <summary>Lifetime cap of validated-token cache entries.</summary>
    public static readonly Setting TokenCacheTtl = new("PRISM_AUTH_TOKEN_CACHE_TTL", "security:token_cache_ttl", "5m",
        "How long a validated token is remembered (never past its exp); 0 disables the cache.");

    /// <summary>Capacity of the validated-token cache.</summary>
    public static readonly Setting TokenCacheSize = new("PRISM_AUTH_TOKEN_CACHE_SIZE", "security:token_cache_size", "10000",
        "Most validated tokens remembered at once.");

    /// <summary>Groups granting the admin role.</summary>
    public static readonly Setting AdminGroups = new("PRISM_RBAC_ADMIN_GROUPS", "security:rbac_admin_groups", "prism:admin",
        "Comma-separated token groups that grant the admin role (admin:read, admin:write, admin:operational, admin:audit).");

    /// <summary>Groups granting the operator role.</summary>
    public static readonly Setting OperatorGroups = new("PRISM_RBAC_OPERATOR_GROUPS", "security:rbac_operator_groups", "prism:operator",
        "Comma-separated token groups that grant the operator role (admin:read, admin:operational).");

    /// <summary>Groups granting the viewer role.</summary>
    public static readonly Setting ViewerGroups = new("PRISM_RBAC_VIEWER_GROUPS", "security:rbac_viewer_groups", "prism:viewer",
        "Comma-separated token groups that grant the viewer role (admin:read).");

    /// <summary>Groups of service accounts whose tokens carry none.</summary>
    public static readonly Setting ClientGroups = new("PRISM_RBAC_CLIENT_GROUPS", "security:rbac_client_groups", null,
        "Groups of service accounts (tokens without email) whose token has no groups claim, as 'client=group,group;client2=group'. Default: none.");

    /// <summary>How often the revocation state is read.</summary>
    public static readonly Setting RevocationPollInterval = new("PRISM_AUTH_REVOCATION_POLL_INTERVAL", "security:revocation_poll_interval", "1s",
        "How often admin and proxy read the identity provider's revocation feed (Prism's own IdP) and the identities terminated in the control store; a revoked token is refused within about this interval.");

    /// <summary>How long validation goes on without a successful read of the revocation feed.</summary>
    public static readonly Setting RevocationGrace = new("PRISM_AUTH_REVOCATION_GRACE", "security:revocation_grace", "2m",
        "When Prism's identity provider publishes a revocation feed and it could not be read for this long, every token is refused (fail closed) until it can.");

    /// <summary>Client id Prism introspects a foreign provider's tokens with.</summary>
    public static readonly Setting IntrospectionClientId = new("PRISM_OIDC_INTROSPECTION_CLIENT_ID", "security:oidc_introspection_client_id", null,
        "Client id for RFC 7662 introspection at a foreign provider that names an introspection_endpoint in discovery: each token is then checked there (answer cached PRISM_OIDC_INTROSPECTION_CACHE), so revocation at that provider bites. Default: none (tokens of a foreign provider live until exp).");

    /// <summary>Secret of the introspection client.</summary>
    public static readonly Setting IntrospectionClientSecret = new("PRISM_OIDC_INTROSPECTION_CLIENT_SECRET", "security:oidc_introspection_client_secret", null,
        "Secret of PRISM_OIDC_INTROSPECTION_CLIENT_ID (HTTP Basic). Never logged.");

    /// <summary>How long an introspection answer is reused.</summary>
    public static readonly Setting IntrospectionCache = new("PRISM_OIDC_INTROSPECTION_CACHE", "security:oidc_introspection_cache", "4s",
        "How long an introspection answer for a token is reused before the provider is asked again.");

    /// <summary>Every security setting.</summary>
    public static IReadOnlyList<Setting> All { get; } =
    [
        AuthDisabled, Issuer, Audiences, JwksRefreshInterval, JwksRefetchInterval, ClockSkew, MaxTokenBytes,
        TokenCacheTtl, TokenCacheSize, AdminGroups, OperatorGroups, ViewerGroups, ClientGroups,
        RevocationPollInterval, RevocationGrace, IntrospectionClientId, IntrospectionClientSecret, IntrospectionCache,
    ];
}
