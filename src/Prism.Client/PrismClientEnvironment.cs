using System.Globalization;

namespace Prism.Client;

/// <summary>The environment variables <see cref="PrismClientOptions"/> falls back to (documented in docs/configuration.md).</summary>
public static class PrismClientEnvironment
{
    /// <summary>Proxy endpoint.</summary>
    public const string Endpoint = "PRISM_PROXY_ENDPOINT";

    /// <summary>Namespace.</summary>
    public const string Namespace = "PRISM_NAMESPACE";

    /// <summary>Static bearer token.</summary>
    public const string Token = "PRISM_TOKEN";

    /// <summary>Token file.</summary>
    public const string TokenFile = "PRISM_TOKEN_FILE";

    /// <summary>OIDC issuer.</summary>
    public const string Issuer = "PRISM_OIDC_ISSUER";

    /// <summary>Client credentials: client id.</summary>
    public const string ClientId = "PRISM_CLIENT_ID";

    /// <summary>Client credentials: secret.</summary>
    public const string ClientSecret = "PRISM_CLIENT_SECRET";

    /// <summary>Local-dev login on/off.</summary>
    public const string LocalDev = "PRISM_LOCAL_DEV";

    /// <summary>PEM CA bundle trusted besides the system's roots.</summary>
    public const string CaFile = "PRISM_TLS_CA_FILE";

    /// <summary>PEM client certificate (mTLS).</summary>
    public const string ClientCertificateFile = "PRISM_TLS_CLIENT_CERT_FILE";

    /// <summary>PEM key of the client certificate.</summary>
    public const string ClientKeyFile = "PRISM_TLS_CLIENT_KEY_FILE";

    /// <summary>
    /// Fills every unset option from its environment variable (<paramref name="environment"/>
    /// defaults to the process environment).
    /// </summary>
    public static void Apply(PrismClientOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        environment ??= System.Environment.GetEnvironmentVariable;
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;

        if (options.Endpoint is null && Env(Endpoint) is { } endpoint)
        {
            options.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"Prism client: {Endpoint}='{endpoint}' is not a URL");
        }

        options.Namespace ??= Env(Namespace);
        options.Token ??= Env(Token);
        options.TokenFile ??= Env(TokenFile);
        if (options.Issuer is null && Env(Issuer) is { } issuer)
        {
            options.Issuer = Uri.TryCreate(issuer, UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"Prism client: {Issuer}='{issuer}' is not a URL");
        }

        if (options.ClientId is null && options.ClientSecret is null && Env(ClientId) is { } id && Env(ClientSecret) is { } secret)
        {
            options.ClientId = id;
            options.ClientSecret = secret;
        }

        options.CaFile ??= Env(CaFile);
        options.ClientCertificateFile ??= Env(ClientCertificateFile);
        options.ClientKeyFile ??= Env(ClientKeyFile);
        if (!options.LocalDev && Env(LocalDev) is { } localDev)
        {
            options.LocalDev = localDev.ToLower(CultureInfo.InvariantCulture) is "true" or "1" or "yes";
        }
    }
}
