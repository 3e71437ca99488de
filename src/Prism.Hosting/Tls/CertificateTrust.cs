using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Tls;

/// <summary>Loads PEM bundles and checks certificates against a private CA, without touching the system store.</summary>
public static class CertificateTrust
{
    /// <summary>Extended key usage of TLS servers.</summary>
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>Extended key usage of TLS clients.</summary>
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    /// <summary>The certificates of the PEM file <paramref name="path"/> that <paramref name="setting"/> names.</summary>
    /// <exception cref="ConfigurationException">The file cannot be read or holds no certificate; the message names the setting.</exception>
    public static X509Certificate2Collection LoadBundle(Setting setting, string path)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot read the CA bundle {setting.Display} '{path}': {e.Message.ReplaceLineEndings(" ")}", e);
        }

        return bundle.Count > 0
            ? bundle
            : throw new ConfigurationException($"{setting.Display} '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }

    /// <summary>A certificate and its private key from two PEM files that <paramref name="certificateSetting"/> and <paramref name="keySetting"/> name.</summary>
    /// <exception cref="ConfigurationException">The files do not load; the message names both settings.</exception>
    public static X509Certificate2 LoadPair(Setting certificateSetting, string certificatePath, Setting keySetting, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(certificateSetting);
        ArgumentNullException.ThrowIfNull(keySetting);
        try
        {
            var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // SslStream on Linux wants a key it can export to OpenSSL: re-import the ephemeral PEM key as PKCS#12.
            return OperatingSystem.IsWindows() ? X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null) : pem;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ConfigurationException(
                $"Cannot load the certificate {certificateSetting.Display} '{certificatePath}' with key {keySetting.Display}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="roots"/> (and only those), its dates are
    /// valid and it is issued for <paramref name="usage"/>. Intermediates the peer sent in <paramref name="presented"/> are used.
    /// Revocation is not checked: a private CA rarely publishes a CRL; rotate by replacing the CA bundle.
    /// </summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection roots, Oid usage, X509Chain? presented = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(usage);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate);
    }

    /// <summary>
    /// A server-certificate check for outbound connections: what the system trusts, or, when <paramref name="extraRoots"/>
    /// is given, a certificate for the right host name that chains to one of them.
    /// </summary>
    public static RemoteCertificateValidationCallback ServerValidator(X509Certificate2Collection? extraRoots) =>
        (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            return extraRoots is not null
                   && certificate is not null
                   && (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
                   && ChainsTo(certificate as X509Certificate2 ?? new X509Certificate2(certificate), extraRoots, ServerAuthentication, chain);
        };
}
