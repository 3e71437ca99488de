using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Prism.Client;

/// <summary>
/// The TLS side of a client connection: the system's roots plus a PEM CA bundle (a private or local CA, as
/// <c>prism dev certs</c> makes), and a PEM client certificate presented when the server asks for one (mTLS).
/// Used by <see cref="PrismConnection"/> and by prismctl for every connection it makes.
/// </summary>
public sealed class PrismTls
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection? _roots;
    private readonly X509Certificate2? _clientCertificate;

    private PrismTls(X509Certificate2Collection? roots, X509Certificate2? clientCertificate)
    {
        _roots = roots;
        _clientCertificate = clientCertificate;
    }

    /// <summary>Trust of the system's roots only, no client certificate.</summary>
    public static PrismTls SystemDefault { get; } = new(null, null);

    /// <summary>Loads the files given (each may be null); the certificate and its key go together.</summary>
    /// <exception cref="PrismTlsException">A file does not load, holds no certificate, or only one of certificate and key is given.</exception>
    public static PrismTls Load(string? caFile, string? clientCertificateFile, string? clientKeyFile)
    {
        X509Certificate2Collection? roots = null;
        if (caFile is not null)
        {
            roots = [];
            try
            {
                roots.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new PrismTlsException(PrismTlsFile.CaBundle, $"cannot read the CA bundle '{caFile}': {e.Message.ReplaceLineEndings(" ")}");
            }

            if (roots.Count == 0)
            {
                throw new PrismTlsException(PrismTlsFile.CaBundle, $"the CA bundle '{caFile}' holds no PEM certificate");
            }
        }

        if (clientCertificateFile is null != clientKeyFile is null)
        {
            throw new PrismTlsException(PrismTlsFile.ClientCertificate, "a client certificate needs both its certificate and its key file");
        }

        X509Certificate2? client = null;
        if (clientCertificateFile is not null)
        {
            try
            {
                client = X509Certificate2.CreateFromPemFile(clientCertificateFile, clientKeyFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new PrismTlsException(PrismTlsFile.ClientCertificate,
                    $"cannot load the client certificate '{clientCertificateFile}' with key '{clientKeyFile}': {e.Message.ReplaceLineEndings(" ")}");
            }
        }

        return new PrismTls(roots, client);
    }

    /// <summary>A handler for HttpClient and gRPC channels with this trust and client certificate.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (_roots is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        }

        if (_clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [_clientCertificate];
        }

        return handler;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        foreach (var element in presented?.ChainElements.Skip(1) ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
    }
}

/// <summary>Which of the TLS files a <see cref="PrismTlsException"/> is about.</summary>
public enum PrismTlsFile
{
    /// <summary>The CA bundle.</summary>
    CaBundle,

    /// <summary>The client certificate or its key.</summary>
    ClientCertificate,
}

/// <summary>A TLS file that cannot be used; the message says which and why.</summary>
public sealed class PrismTlsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PrismTlsException(PrismTlsFile file, string message)
        : base(message)
    {
        File = file;
    }

    /// <summary>Creates the exception.</summary>
    public PrismTlsException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PrismTlsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PrismTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file the message is about.</summary>
    public PrismTlsFile File { get; }
}
