using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Prism.Hosting.Tls;

/// <summary>
/// A private certificate authority for development and tests (what mkcert or <c>dotnet dev-certs</c> make):
/// an ECDSA P-256 root that issues server certificates for given host names and client certificates for mTLS.
/// </summary>
public sealed class LocalCertificateAuthority : IDisposable
{
    /// <summary>How long the CA is valid.</summary>
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(5 * 365);

    /// <summary>How long issued certificates are valid (under the 398 days browsers accept).</summary>
    public static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(397);

    private LocalCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a new CA named <paramref name="name"/>.</summary>
    public static LocalCertificateAuthority Create(string name, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}, O=Prism development"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new LocalCertificateAuthority(request.CreateSelfSigned(now.AddHours(-1), now + CaLifetime));
    }

    /// <summary>Loads a CA written by <see cref="WritePem"/>.</summary>
    public static LocalCertificateAuthority Load(string certificatePath, string keyPath) =>
        new(X509Certificate2.CreateFromPemFile(certificatePath, keyPath));

    /// <summary>A server certificate for <paramref name="names"/> (DNS names or IP addresses; the first is the subject).</summary>
    public X509Certificate2 IssueServer(IReadOnlyList<string> names, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            throw new ArgumentException("A server certificate needs at least one name.", nameof(names));
        }

        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternativeNames.AddIpAddress(address);
            }
            else
            {
                alternativeNames.AddDnsName(name);
            }
        }

        return Issue(names[0], CertificateTrust.ServerAuthentication, alternativeNames.Build(), time);
    }

    /// <summary>A client certificate (for mTLS) whose subject is <paramref name="commonName"/>.</summary>
    public X509Certificate2 IssueClient(string commonName, TimeProvider? time = null) =>
        Issue(commonName, CertificateTrust.ClientAuthentication, null, time);

    /// <summary>
    /// Writes <paramref name="certificate"/> as PEM to <paramref name="certificatePath"/> and its private key as PKCS#8 PEM
    /// to <paramref name="keyPath"/> (mode 0600 outside Windows).
    /// </summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no ECDSA private key.", nameof(certificate));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
            return;
        }

        using var stream = new FileStream(keyPath, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var writer = new StreamWriter(stream);
        writer.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private X509Certificate2 Issue(string commonName, Oid usage, X509Extension? alternativeNames, TimeProvider? time)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(commonName)}, O=Prism development"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        var notAfter = now + LeafLifetime < Certificate.NotAfter ? now + LeafLifetime : new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Certificate, now.AddHours(-1), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static string Escape(string name) => name.Replace("\"", "", StringComparison.Ordinal).Replace(",", " ", StringComparison.Ordinal);

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
