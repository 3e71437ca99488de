using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Prism.Cli.Config;

/// <summary>
/// The TLS side of every prismctl connection (issuer, admin, proxy): the system's roots plus the CA bundle
/// of <see cref="CliSettings.CaFile"/>, and the client certificate of <see cref="CliSettings.ClientCertificateFile"/>
/// for servers that ask for one. Mirrors Prism.Hosting's OutboundTls, which prismctl does not reference.
/// </summary>
public sealed class CliTls
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection? _roots;
    private readonly X509Certificate2? _clientCertificate;

    private CliTls(X509Certificate2Collection? roots, X509Certificate2? clientCertificate)
    {
        _roots = roots;
        _clientCertificate = clientCertificate;
    }

    /// <summary>Loads the files <paramref name="settings"/> name.</summary>
    /// <exception cref="CliException">A file does not load, or only one of the certificate and key is given (usage error naming the variable).</exception>
    public static CliTls From(CliSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        X509Certificate2Collection? roots = null;
        if (settings.CaFile is { } caFile)
        {
            roots = [];
            try
            {
                roots.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw CliException.Usage($"cannot read the CA bundle {CliEnvironment.CaFile} (tls.ca_file) '{caFile}': {e.Message.ReplaceLineEndings(" ")}");
            }

            if (roots.Count == 0)
            {
                throw CliException.Usage($"{CliEnvironment.CaFile} (tls.ca_file) '{caFile}' holds no PEM certificate");
            }
        }

        if (settings.ClientCertificateFile is null != settings.ClientKeyFile is null)
        {
            throw CliException.Usage($"set both {CliEnvironment.ClientCertificateFile} and {CliEnvironment.ClientKeyFile} (tls.client_cert_file, tls.client_key_file), or neither");
        }

        X509Certificate2? client = null;
        if (settings.ClientCertificateFile is { } certificateFile)
        {
            try
            {
                client = X509Certificate2.CreateFromPemFile(certificateFile, settings.ClientKeyFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw CliException.Usage(
                    $"cannot load the client certificate {CliEnvironment.ClientCertificateFile} '{certificateFile}' with key {CliEnvironment.ClientKeyFile}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }

        return new CliTls(roots, client);
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
