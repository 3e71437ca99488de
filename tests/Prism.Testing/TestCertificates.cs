using System.Security.Cryptography.X509Certificates;
using Prism.Hosting.Tls;

namespace Prism.Testing;

/// <summary>
/// A private CA and the PEM files a TLS test needs, in a temporary folder: a server certificate for
/// localhost and 127.0.0.1, a client certificate from the same CA, and one from another CA.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory _folder = new("prism-certs");

    public TestCertificates()
    {
        using var authority = LocalCertificateAuthority.Create("Prism test CA");
        Authority = authority.Certificate.ExportCertificatePem();
        File.WriteAllText(CaFile, Authority + "\n");
        using (var server = authority.IssueServer(["localhost", "127.0.0.1", "::1"]))
        {
            LocalCertificateAuthority.WritePem(server, ServerCertificateFile, ServerKeyFile);
        }

        using (var client = authority.IssueClient("prism-test-client"))
        {
            LocalCertificateAuthority.WritePem(client, ClientCertificateFile, ClientKeyFile);
        }

        using var stranger = LocalCertificateAuthority.Create("Another CA");
        using var foreign = stranger.IssueClient("stranger");
        LocalCertificateAuthority.WritePem(foreign, ForeignClientCertificateFile, ForeignClientKeyFile);
    }

    /// <summary>The CA certificate as PEM.</summary>
    public string Authority { get; }

    public string CaFile => Path.Combine(_folder.Path, "ca.pem");

    public string ServerCertificateFile => Path.Combine(_folder.Path, "server.pem");

    public string ServerKeyFile => Path.Combine(_folder.Path, "server-key.pem");

    public string ClientCertificateFile => Path.Combine(_folder.Path, "client.pem");

    public string ClientKeyFile => Path.Combine(_folder.Path, "client-key.pem");

    /// <summary>A client certificate issued by a CA nobody trusts.</summary>
    public string ForeignClientCertificateFile => Path.Combine(_folder.Path, "foreign.pem");

    public string ForeignClientKeyFile => Path.Combine(_folder.Path, "foreign-key.pem");

    /// <summary>The CA as a collection, for custom trust in test clients.</summary>
    public X509Certificate2Collection Roots()
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(Authority);
        return roots;
    }

    /// <summary>A handler that trusts this CA and presents <paramref name="clientCertificate"/> (PEM file and key), if any.</summary>
    public SocketsHttpHandler Handler(string? clientCertificate = null, string? clientKey = null)
    {
        var handler = new SocketsHttpHandler();
        var roots = Roots();
        handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ServerValidator(roots);
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(clientCertificate, clientKey)];
        }

        return handler;
    }

    public void Dispose() => _folder.Dispose();
}
