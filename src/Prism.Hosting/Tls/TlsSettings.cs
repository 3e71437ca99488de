using Prism.Hosting.Settings;

namespace Prism.Hosting.Tls;

/// <summary>Client certificates (mTLS) on the listeners, and the trust and identity of outbound TLS connections.</summary>
public static class TlsSettings
{
    /// <summary>Whether module listeners ask for client certificates.</summary>
    public static readonly Setting ClientCertificates = new(
        "PRISM_TLS_CLIENT_CERTS", "tls:client_certs", "none",
        "'none' (default), 'optional' (a certificate, when presented, must chain to PRISM_TLS_CLIENT_CA_FILE) or 'require' (a connection without one is refused at the TLS handshake). Needs PRISM_TLS_CERT_FILE and PRISM_TLS_CLIENT_CA_FILE.")
    {
        Choices = ["none", "optional", "require"],
    };

    /// <summary>PEM bundle of the CA(s) client certificates must chain to.</summary>
    public static readonly Setting ClientCa = new(
        "PRISM_TLS_CLIENT_CA_FILE", "tls:client_ca_file", null,
        "PEM file of the CA certificate(s) that client certificates must chain to (and be issued for client authentication by).");

    /// <summary>PEM bundle of extra CAs trusted for every outbound TLS connection.</summary>
    public static readonly Setting CaBundle = new(
        "PRISM_TLS_CA_FILE", "tls:ca_file", null,
        "PEM file of CA certificate(s) trusted, besides the system's roots, by every outbound TLS connection: OIDC discovery and JWKS, the console's admin channel, health checks, Redis and NATS over TLS.");

    /// <summary>PEM certificate outbound connections present when the server asks for one.</summary>
    public static readonly Setting OutboundCertificate = new(
        "PRISM_TLS_CLIENT_CERT_FILE", "tls:client_cert_file", null,
        "PEM client certificate that outbound connections (the console's admin channel, Redis and NATS over TLS) present when the server asks for one; needs PRISM_TLS_CLIENT_KEY_FILE.");

    /// <summary>PEM private key of <see cref="OutboundCertificate"/>.</summary>
    public static readonly Setting OutboundKey = new(
        "PRISM_TLS_CLIENT_KEY_FILE", "tls:client_key_file", null,
        "PEM private key of PRISM_TLS_CLIENT_CERT_FILE.");

    /// <summary>Every TLS setting of this class.</summary>
    public static IReadOnlyList<Setting> All { get; } = [ClientCertificates, ClientCa, CaBundle, OutboundCertificate, OutboundKey];
}
