using System.Net;
using Microsoft.Extensions.Configuration;

namespace Prism.Hosting.Settings;

/// <summary>Settings that every module and the <c>prism</c> host share.</summary>
public static class CoreSettings
{
    /// <summary>Root folder for config, token, data, logs and pid files.</summary>
    public static readonly Setting Home = new(
        "PRISM_HOME", "home", null,
        "Folder holding config.yaml, token, data/, logs/ and run/. Default: ~/.prism.");

    /// <summary>Development or production posture.</summary>
    public static readonly Setting Environment = new(
        "PRISM_ENV", "env", "dev",
        "'dev' (default) or 'production' ('prod' reads as production). Production refuses to start on any development fixture; any other value is refused.")
    {
        Choices = ["dev", "production", "prod"],
    };

    /// <summary>Address every module listener binds to unless the module says otherwise.</summary>
    public static readonly Setting BindAddress = new(
        "PRISM_BIND_ADDRESS", "bind_address", "127.0.0.1",
        "Address the module listeners bind to. Default: 127.0.0.1 (loopback only).");

    /// <summary>Optional YAML file with server settings, keys as in this table.</summary>
    public static readonly Setting ConfigFile = new(
        "PRISM_CONFIG", "config", null,
        "Path of a YAML file of server settings (keys as listed here, for example 'identity: {port: 5556}'). Overridden by environment variables.");

    /// <summary>PEM certificate (chain) every module listener serves TLS with.</summary>
    public static readonly Setting TlsCertificate = new(
        "PRISM_TLS_CERT_FILE", "tls:cert_file", null,
        "PEM certificate (with chain) the module listeners serve TLS with; needs PRISM_TLS_KEY_FILE. Unset: plaintext, which production refuses on a non-loopback address.");

    /// <summary>PEM private key of <see cref="TlsCertificate"/>.</summary>
    public static readonly Setting TlsKey = new(
        "PRISM_TLS_KEY_FILE", "tls:key_file", null,
        "PEM private key of PRISM_TLS_CERT_FILE.");

    /// <summary>True when <see cref="Environment"/> is <c>production</c> (or <c>prod</c>).</summary>
    /// <exception cref="ConfigurationException">PRISM_ENV is not one of its choices.</exception>
    public static bool IsProduction(IConfiguration configuration) => Environment.Choice(configuration) is "production" or "prod";

    /// <summary>The address listeners bind to: an IP address or <c>localhost</c>.</summary>
    /// <exception cref="ConfigurationException">Anything else.</exception>
    public static string ListenAddress(IConfiguration configuration)
    {
        var text = BindAddress.RequiredText(configuration);
        return text is "localhost" || IPAddress.TryParse(text, out _)
            ? text
            : throw ConfigurationException.Invalid(BindAddress, text, "an IP address (127.0.0.1, 0.0.0.0, ::) or localhost");
    }

    /// <summary>Reads every core setting once, so a bad value stops start-up before anything else happens.</summary>
    /// <exception cref="ConfigurationException">The first bad core setting.</exception>
    public static void Validate(IConfiguration configuration)
    {
        _ = IsProduction(configuration);
        _ = ListenAddress(configuration);
        _ = Logging.LoggingSettings.MinimumLevel(configuration);
        _ = Logging.LoggingSettings.FormatterName(configuration);
        _ = Modules.ListenerTls.ClientCertificateMode(configuration);
    }

    /// <summary>Every core setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [Home, Environment, BindAddress, ConfigFile, TlsCertificate, TlsKey, .. Logging.LoggingSettings.All, .. Tls.TlsSettings.All];
}
