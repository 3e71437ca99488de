using Prism.Hosting.Settings;

namespace Prism.Identity;

/// <summary>Settings of the identity module, declared once for code, documentation and tests.</summary>
public static class IdentitySettings
{
    /// <summary>Listening port.</summary>
    public static readonly Setting Port = new("PRISM_IDENTITY_PORT", "identity:port", null,
        "Port of the embedded identity provider. Default: the port of 'web.http' in the Dex config file, else 5556.");

    /// <summary>Dex-format configuration file.</summary>
    public static readonly Setting ConfigFile = new("PRISM_IDENTITY_CONFIG", "identity:config", null,
        "Path of a Dex-format config.yaml (issuer, storage, web, staticClients, enablePasswordDB, staticPasswords, expiry, oauth2). Default: the built-in development file.");

    /// <summary>Issuer override.</summary>
    public static readonly Setting Issuer = new("PRISM_IDENTITY_ISSUER", "identity:issuer", null,
        "Issuer URL, overriding 'issuer' of the Dex config file; its path must be /dex. Default: http://localhost:5556/dex.");

    /// <summary>The web console's public URL, whose sign-in callback the console client accepts.</summary>
    public static readonly Setting ConsoleUrl = new("PRISM_IDENTITY_CONSOLE_URL", "identity:consoleUrl", null,
        "Public URL of the web console (scheme://host:port); its /signin-oidc is added to the redirect URIs of the 'prism-console' client. Default: none; 'prism dev up' sets it from PRISM_CONSOLE_PORT.");

    /// <summary>Groups of client_credentials clients.</summary>
    public static readonly Setting ClientGroups = new("PRISM_IDENTITY_CLIENT_GROUPS", "identity:clientGroups", "prism-automation=prism:operator",
        "Groups carried by client_credentials tokens, as 'client=group,group;client2=group'. Default: prism-automation=prism:operator.");

    /// <summary>Extra access-token audiences.</summary>
    public static readonly Setting Audiences = new("PRISM_IDENTITY_AUDIENCES", "identity:audiences", null,
        "Comma-separated audiences added to every access token besides the client id (Dex style). Default: none.");

    /// <summary>Signing-key rotation age.</summary>
    public static readonly Setting SigningKeyRotation = new("PRISM_IDENTITY_SIGNING_KEY_ROTATION", "identity:signingKeyRotation", "720h",
        "Age after which a new signing key is generated at start; the previous key stays in JWKS for one more period. Default: 720h (30 days).");

    /// <summary>Failed sign-ins before an account is slowed down.</summary>
    public static readonly Setting LockoutThreshold = new("PRISM_IDENTITY_LOCKOUT_THRESHOLD", "identity:lockout:threshold", "5",
        "Failed sign-ins for one account from one client address within the lockout window after which further attempts from that address are refused for an increasing delay (other addresses are not affected; an address failing 4 times this many over all accounts is slowed down too). Default: 5.");

    /// <summary>Window in which failed sign-ins are counted.</summary>
    public static readonly Setting LockoutWindow = new("PRISM_IDENTITY_LOCKOUT_WINDOW", "identity:lockout:window", "15m",
        "Window in which failed sign-ins are counted; also the longest delay. Default: 15m.");

    /// <summary>Token requests accepted per client address and minute.</summary>
    public static readonly Setting TokenRateLimit = new("PRISM_IDENTITY_TOKEN_RATE_LIMIT", "identity:tokenRateLimit", "120",
        "Token endpoint requests accepted per client address and minute; beyond it the endpoint answers 429 with error 'slow_down'. Default: 120.");

    /// <summary>How often issued tokens and authorizations are pruned.</summary>
    public static readonly Setting PruneInterval = new("PRISM_IDENTITY_PRUNE_INTERVAL", "identity:pruneInterval", "1h",
        "How often expired tokens and authorizations left without tokens are deleted from the identity store. Default: 1h.");

    /// <summary>Every identity setting.</summary>
    public static IReadOnlyList<Setting> All { get; } =
        [Port, ConfigFile, Issuer, ConsoleUrl, ClientGroups, Audiences, SigningKeyRotation, LockoutThreshold, LockoutWindow, TokenRateLimit, PruneInterval];
}
