using Prism.Hosting.Settings;

namespace Prism.WebConsole;

/// <summary>Settings of the web console, declared once for code, documentation and tests.</summary>
public static class ConsoleSettings
{
    /// <summary>The built-in development secret of the <c>prism-console</c> client (public knowledge, in the built-in Dex config).</summary>
    public const string DevelopmentClientSecret = "prism-console-dev-secret";

    /// <summary>Listening port.</summary>
    public static readonly Setting Port = new("PRISM_CONSOLE_PORT", "console:port", "8090",
        "Port of the admin web console.");

    /// <summary>The URL people use to reach the console.</summary>
    public static readonly Setting PublicUrl = new("PRISM_CONSOLE_PUBLIC_URL", "console:public_url", null,
        "URL people reach the console at; the OIDC redirect URI is this URL + /signin-oidc, and requests for another host are redirected here. Default: http://localhost:PORT (https with PRISM_TLS_CERT_FILE).");

    /// <summary>Where the admin control plane listens.</summary>
    public static readonly Setting AdminUrl = new("PRISM_CONSOLE_ADMIN_URL", "console:admin_url", null,
        "gRPC address of the admin control plane the console calls with the signed-in user's token. Default: http://127.0.0.1:ADMIN_PORT (PRISM_ADMIN_PORT, else 8981); https with PRISM_TLS_CERT_FILE.");

    /// <summary>OIDC client id of the console.</summary>
    public static readonly Setting ClientId = new("PRISM_CONSOLE_OIDC_CLIENT_ID", "console:oidc_client_id", "prism-console",
        "OIDC client id the console signs people in with (authorization code + PKCE); admin must accept it as an audience (PRISM_OIDC_AUDIENCE).");

    /// <summary>OIDC client secret of the console.</summary>
    public static readonly Setting ClientSecret = new("PRISM_CONSOLE_OIDC_CLIENT_SECRET", "console:oidc_client_secret", DevelopmentClientSecret,
        "Secret of the console's OIDC client. The default is the built-in development secret: logged as an insecure default, refused in production.")
    {
        Secret = true,
    };

    /// <summary>Every console setting of its own (the issuer is the shared <c>PRISM_OIDC_ISSUER</c>).</summary>
    public static IReadOnlyList<Setting> All { get; } = [Port, PublicUrl, AdminUrl, ClientId, ClientSecret];
}
