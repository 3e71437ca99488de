using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Prism.Cli.Config;

/// <summary>
/// <c>PRISM_HOME/config.yaml</c> in RFC-016's layout:
/// <code>
/// admin:
///   endpoint: http://localhost:8981
/// proxy:
///   endpoint: http://localhost:8980
/// auth:
///   oidc:
///     issuer: http://localhost:5556/dex
///     client_id: prismctl
///     auto_login: true
///     auto_login_user: dev@local.prism
///     auto_login_password: devpass
/// tls:
///   ca_file: ~/.prism/certs/ca.pem
///   client_cert_file: ~/.prism/certs/client.pem
///   client_key_file: ~/.prism/certs/client-key.pem
/// </code>
/// Every key is optional; unknown keys are ignored so the file can hold other tools' settings.
/// </summary>
public sealed class CliConfigFile
{
    /// <summary>The <c>admin</c> section.</summary>
    public EndpointSection Admin { get; set; } = new();

    /// <summary>The <c>proxy</c> section.</summary>
    public EndpointSection Proxy { get; set; } = new();

    /// <summary>The <c>auth</c> section.</summary>
    public AuthSection Auth { get; set; } = new();

    /// <summary>The <c>tls</c> section.</summary>
    public TlsSection Tls { get; set; } = new();

    /// <summary>Reads <paramref name="path"/>; a missing file is an empty configuration.</summary>
    public static CliConfigFile Load(string path)
    {
        if (!File.Exists(path))
        {
            return new CliConfigFile();
        }

        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        try
        {
            return deserializer.Deserialize<CliConfigFile?>(File.ReadAllText(path)) ?? new CliConfigFile();
        }
        catch (YamlException e)
        {
            // A broken config file is a configuration error: one line, the usage/config exit code.
            throw new CliException(ExitCodes.Usage, $"cannot read {path}: line {e.Start.Line}: {(e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>A section holding one endpoint.</summary>
    public sealed class EndpointSection
    {
        /// <summary>The <c>endpoint</c> URL.</summary>
        public string? Endpoint { get; set; }
    }

    /// <summary>The <c>tls</c> section: PEM files for https endpoints.</summary>
    public sealed class TlsSection
    {
        /// <summary>CA bundle trusted besides the system's roots.</summary>
        public string? CaFile { get; set; }

        /// <summary>Client certificate presented when a server asks for one.</summary>
        public string? ClientCertFile { get; set; }

        /// <summary>Its private key.</summary>
        public string? ClientKeyFile { get; set; }
    }

    /// <summary>The <c>auth</c> section.</summary>
    public sealed class AuthSection
    {
        /// <summary>The <c>auth.oidc</c> section.</summary>
        public OidcSection Oidc { get; set; } = new();
    }

    /// <summary>The <c>auth.oidc</c> section.</summary>
    public sealed class OidcSection
    {
        /// <summary>Issuer URL.</summary>
        public string? Issuer { get; set; }

        /// <summary>Public client id.</summary>
        public string? ClientId { get; set; }

        /// <summary>Log in by itself with the password grant (local development only).</summary>
        public bool? AutoLogin { get; set; }

        /// <summary>User of the automatic login.</summary>
        public string? AutoLoginUser { get; set; }

        /// <summary>Password of the automatic login.</summary>
        public string? AutoLoginPassword { get; set; }
    }
}
