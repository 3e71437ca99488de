using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Tls;

/// <summary>
/// What every outbound TLS connection of a Prism process trusts and presents: the system's roots plus
/// <see cref="TlsSettings.CaBundle"/>, and <see cref="TlsSettings.OutboundCertificate"/> when a server asks for a client certificate.
/// </summary>
public sealed class OutboundTls
{
    private OutboundTls(X509Certificate2Collection? extraRoots, X509Certificate2? clientCertificate)
    {
        ExtraRoots = extraRoots;
        ClientCertificate = clientCertificate;
    }

    /// <summary>No extra trust and no client certificate.</summary>
    public static OutboundTls SystemDefault { get; } = new(null, null);

    /// <summary>CAs trusted besides the system's roots, or null.</summary>
    public X509Certificate2Collection? ExtraRoots { get; }

    /// <summary>The certificate presented to servers that ask for one, or null.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>Reads the outbound TLS settings.</summary>
    /// <exception cref="ConfigurationException">A file does not load, or only one of the client certificate pair is set.</exception>
    public static OutboundTls From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var bundle = TlsSettings.CaBundle.Text(configuration);
        var roots = string.IsNullOrEmpty(bundle) ? null : CertificateTrust.LoadBundle(TlsSettings.CaBundle, bundle);
        var certificate = TlsSettings.OutboundCertificate.Text(configuration);
        var key = TlsSettings.OutboundKey.Text(configuration);
        if (string.IsNullOrEmpty(certificate) != string.IsNullOrEmpty(key))
        {
            throw new ConfigurationException($"Set both {TlsSettings.OutboundCertificate.Display} and {TlsSettings.OutboundKey.Display}, or neither.");
        }

        var client = string.IsNullOrEmpty(certificate)
            ? null
            : CertificateTrust.LoadPair(TlsSettings.OutboundCertificate, certificate, TlsSettings.OutboundKey, key!);
        return new OutboundTls(roots, client);
    }

    /// <summary>The server-certificate check of this configuration.</summary>
    public RemoteCertificateValidationCallback ServerValidator => CertificateTrust.ServerValidator(ExtraRoots);

    /// <summary>A handler for HttpClient and gRPC channels with this trust and client certificate.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        };
        Apply(handler.SslOptions);
        return handler;
    }

    /// <summary>Sets the trust and client certificate of <paramref name="options"/>.</summary>
    public void Apply(SslClientAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ExtraRoots is not null)
        {
            options.RemoteCertificateValidationCallback = ServerValidator;
        }

        if (ClientCertificate is not null)
        {
            options.ClientCertificates = [ClientCertificate];
        }
    }
}
