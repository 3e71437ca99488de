namespace Prism.Cli.Config;

/// <summary>
/// What one prismctl run uses, resolved from (highest first) command-line flags, environment
/// variables, <c>PRISM_HOME/config.yaml</c> and built-in defaults.
/// </summary>
public sealed record CliSettings
{
    /// <summary>Default admin gRPC endpoint.</summary>
    public const string DefaultAdminEndpoint = "http://localhost:8981";

    /// <summary>Default OIDC issuer (the embedded identity provider).</summary>
    public const string DefaultIssuer = "http://localhost:5556/dex";

    /// <summary>Default public client id.</summary>
    public const string DefaultClientId = "prismctl";

    /// <summary>Default developer identity of the automatic login.</summary>
    public const string DefaultAutoLoginUser = "dev@local.prism";

    /// <summary>Default password of the developer identity.</summary>
    public const string DefaultAutoLoginPassword = "devpass";

    /// <summary>PRISM_HOME.</summary>
    public required string Home { get; init; }

    /// <summary>Admin gRPC endpoint.</summary>
    public required Uri AdminEndpoint { get; init; }

    /// <summary>Proxy gRPC endpoint, when one is configured.</summary>
    public Uri? ProxyEndpoint { get; init; }

    /// <summary>OIDC issuer.</summary>
    public required string Issuer { get; init; }

    /// <summary>Public OIDC client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Whether to log in by itself with the password grant.</summary>
    public bool AutoLogin { get; init; }

    /// <summary>User of the automatic login.</summary>
    public string AutoLoginUser { get; init; } = DefaultAutoLoginUser;

    /// <summary>Password of the automatic login.</summary>
    public string AutoLoginPassword { get; init; } = DefaultAutoLoginPassword;

    /// <summary>A token given in PRISM_TOKEN, used as is.</summary>
    public string? StaticToken { get; init; }

    /// <summary>Confidential client id for client_credentials (PRISM_CLIENT_ID).</summary>
    public string? ServiceClientId { get; init; }

    /// <summary>Its secret (PRISM_CLIENT_SECRET).</summary>
    public string? ServiceClientSecret { get; init; }

    /// <summary>PEM CA bundle trusted besides the system's roots (PRISM_TLS_CA_FILE), or null.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate (PRISM_TLS_CLIENT_CERT_FILE), or null.</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>Its PEM private key (PRISM_TLS_CLIENT_KEY_FILE), or null.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>Path of the token cache.</summary>
    public string TokenPath => Path.Combine(Home, "token");

    /// <summary>Whether client credentials are configured.</summary>
    public bool HasClientCredentials => !string.IsNullOrEmpty(ServiceClientId) && !string.IsNullOrEmpty(ServiceClientSecret);

    /// <summary>Resolves the settings of this run.</summary>
    /// <param name="flags">Values given on the command line (null when absent).</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static CliSettings Resolve(SettingFlags flags, Func<string, string?> environment)
    {
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;

        var home = Env(CliEnvironment.Home)
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".prism");
        var file = CliConfigFile.Load(Path.Combine(home, "config.yaml"));
        var oidc = file.Auth.Oidc;
        var localDev = Env(CliEnvironment.LocalDev);

        return new CliSettings
        {
            Home = home,
            AdminEndpoint = ParseEndpoint(flags.AdminEndpoint ?? Env(CliEnvironment.AdminEndpoint) ?? file.Admin.Endpoint ?? DefaultAdminEndpoint, "admin endpoint"),
            ProxyEndpoint = (flags.ProxyEndpoint ?? Env(CliEnvironment.ProxyEndpoint) ?? file.Proxy.Endpoint) is { } proxy ? ParseEndpoint(proxy, "proxy endpoint") : null,
            Issuer = (flags.Issuer ?? Env(CliEnvironment.OidcIssuer) ?? oidc.Issuer ?? DefaultIssuer).TrimEnd('/'),
            ClientId = flags.ClientId ?? Env(CliEnvironment.OidcClientId) ?? oidc.ClientId ?? DefaultClientId,
            AutoLogin = localDev is null ? oidc.AutoLogin ?? false : string.Equals(localDev, "true", StringComparison.OrdinalIgnoreCase) || localDev == "1",
            AutoLoginUser = oidc.AutoLoginUser ?? DefaultAutoLoginUser,
            AutoLoginPassword = oidc.AutoLoginPassword ?? DefaultAutoLoginPassword,
            StaticToken = Env(CliEnvironment.Token),
            ServiceClientId = Env(CliEnvironment.ClientId),
            ServiceClientSecret = Env(CliEnvironment.ClientSecret),
            CaFile = Env(CliEnvironment.CaFile) ?? file.Tls.CaFile,
            ClientCertificateFile = Env(CliEnvironment.ClientCertificateFile) ?? file.Tls.ClientCertFile,
            ClientKeyFile = Env(CliEnvironment.ClientKeyFile) ?? file.Tls.ClientKeyFile,
        };
    }

    private static Uri ParseEndpoint(string value, string what)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw CliException.Usage($"{what} '{value}' is not an http(s) URL");
    }
}

/// <summary>Settings given as command-line flags; null when the flag is absent.</summary>
public sealed record SettingFlags(string? AdminEndpoint = null, string? Issuer = null, string? ClientId = null, string? ProxyEndpoint = null);
