using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;

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
