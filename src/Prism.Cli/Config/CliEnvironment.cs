namespace Prism.Cli.Config;

/// <summary>
/// The environment variables prismctl reads, named once here. docs/configuration.md (section
/// "prismctl") documents each; a test fails when one is missing there.
/// </summary>
public static class CliEnvironment
{
    /// <summary>Folder of config.yaml and the token cache (default <c>~/.prism</c>).</summary>
    public const string Home = "PRISM_HOME";

    /// <summary>A bearer token used as is: no cache, no refresh, no login.</summary>
    public const string Token = "PRISM_TOKEN";

    /// <summary><c>true</c>: log in by itself with the password grant as the developer identity.</summary>
    public const string LocalDev = "PRISM_LOCAL_DEV";

    /// <summary>Client id of a confidential client for the client_credentials grant.</summary>
    public const string ClientId = "PRISM_CLIENT_ID";

    /// <summary>Secret of that client.</summary>
    public const string ClientSecret = "PRISM_CLIENT_SECRET";

    /// <summary>Admin gRPC endpoint.</summary>
    public const string AdminEndpoint = "PRISM_ADMIN_ENDPOINT";

    /// <summary>Proxy gRPC endpoint (checked by <c>health</c>).</summary>
    public const string ProxyEndpoint = "PRISM_PROXY_ENDPOINT";

    /// <summary>OIDC issuer to log in at.</summary>
    public const string OidcIssuer = "PRISM_OIDC_ISSUER";

    /// <summary>Public OIDC client prismctl logs in as.</summary>
    public const string OidcClientId = "PRISM_OIDC_CLIENT_ID";

    /// <summary>PEM CA bundle trusted (besides the system's roots) for the issuer, admin and proxy.</summary>
    public const string CaFile = "PRISM_TLS_CA_FILE";

    /// <summary>PEM client certificate presented when a server asks for one (mTLS).</summary>
    public const string ClientCertificateFile = "PRISM_TLS_CLIENT_CERT_FILE";

    /// <summary>PEM private key of that certificate.</summary>
    public const string ClientKeyFile = "PRISM_TLS_CLIENT_KEY_FILE";

    /// <summary>The de-facto standard switch that turns colours off (https://no-color.org).</summary>
    public const string NoColor = "NO_COLOR";
}
