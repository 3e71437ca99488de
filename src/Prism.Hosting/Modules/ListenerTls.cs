using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Hosting.Tls;

namespace Prism.Hosting.Modules;

/// <summary>TLS of module listeners, from PRISM_TLS_CERT_FILE and PRISM_TLS_KEY_FILE.</summary>
public static class ListenerTls
{
    /// <summary>The configured certificate, or null for plaintext listeners.</summary>
    /// <exception cref="ConfigurationException">Only one of the pair is set, or the files do not load; the message names the settings.</exception>
    public static X509Certificate2? Certificate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var certificate = configuration[CoreSettings.TlsCertificate.Key];
        var key = configuration[CoreSettings.TlsKey.Key];
        if (string.IsNullOrEmpty(certificate) && string.IsNullOrEmpty(key))
        {
            return null;
        }

        if (string.IsNullOrEmpty(certificate) || string.IsNullOrEmpty(key))
        {
            throw new ConfigurationException($"Set both {CoreSettings.TlsCertificate.Display} and {CoreSettings.TlsKey.Display}, or neither.");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(
                $"Cannot load the TLS certificate {CoreSettings.TlsCertificate.Display} '{certificate}' with key {CoreSettings.TlsKey.Display}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>
    /// The HTTPS options of a module listener serving <paramref name="certificate"/>: client certificates as
    /// <see cref="TlsSettings.ClientCertificates"/> says, checked against <see cref="TlsSettings.ClientCa"/> only.
    /// </summary>
    /// <exception cref="ConfigurationException">Client certificates are asked for without a CA bundle, or the bundle does not load.</exception>
    public static HttpsConnectionAdapterOptions Https(IConfiguration configuration, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new HttpsConnectionAdapterOptions { ServerCertificate = certificate };
        var mode = ClientCertificateMode(configuration);
        if (mode == Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.NoCertificate)
        {
            return options;
        }

        var caPath = TlsSettings.ClientCa.Text(configuration);
        if (string.IsNullOrEmpty(caPath))
        {
            throw new ConfigurationException(
                $"{TlsSettings.ClientCertificates.Display} asks for client certificates: set {TlsSettings.ClientCa.Display} to the CA they must chain to.");
        }

        var roots = CertificateTrust.LoadBundle(TlsSettings.ClientCa, caPath);
        options.ClientCertificateMode = mode;
        options.CheckCertificateRevocation = false;
        options.ClientCertificateValidation = (client, chain, _) => CertificateTrust.ChainsTo(client, roots, CertificateTrust.ClientAuthentication, chain);
        return options;
    }

    /// <summary>The Kestrel mode of <see cref="TlsSettings.ClientCertificates"/>.</summary>
    /// <exception cref="ConfigurationException">Client certificates are asked for on plaintext listeners, or the value is not a choice.</exception>
    public static ClientCertificateMode ClientCertificateMode(IConfiguration configuration)
    {
        var mode = TlsSettings.ClientCertificates.Choice(configuration) switch
        {
            "require" => Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate,
            "optional" => Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate,
            _ => Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.NoCertificate,
        };
        if (mode != Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.NoCertificate && !CoreSettings.TlsCertificate.IsSet(configuration))
        {
            throw new ConfigurationException(
                $"{TlsSettings.ClientCertificates.Display} is '{TlsSettings.ClientCertificates.Text(configuration)}' but the listeners serve no TLS: set {CoreSettings.TlsCertificate.Display} and {CoreSettings.TlsKey.Display}.");
        }

        return mode;
    }

    /// <summary>
    /// The development shortcut of plaintext listeners: logged in development; refused in production
    /// when a listener is reachable from other machines.
    /// </summary>
    public static InsecureDefault Plaintext(PrismModule module, IReadOnlyList<Listener> listeners)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(listeners);
        var exposed = listeners.Any(l => !IsLoopback(l.Address));
        return new InsecureDefault(module.Name, CoreSettings.TlsCertificate.EnvironmentVariable,
            "production serves TLS (PRISM_TLS_CERT_FILE and PRISM_TLS_KEY_FILE), or keeps plaintext on loopback behind a TLS-terminating proxy",
            RefusedInProduction: exposed);
    }

    private static bool IsLoopback(string address) =>
        address is "localhost" || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));
}
