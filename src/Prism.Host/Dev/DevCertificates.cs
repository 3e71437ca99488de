using Prism.Hosting.Settings;
using Prism.Hosting.Tls;

namespace Prism.Host.Dev;

/// <summary>
/// The local CA and certificates of <c>prism dev certs</c> under <c>PRISM_HOME/certs</c>: <c>ca.pem</c> (trust this one),
/// <c>server.pem</c> for localhost, 127.0.0.1 and ::1 (every module listener), <c>client.pem</c> for mTLS; each key beside
/// its certificate as <c>*-key.pem</c>, mode 0600.
/// </summary>
public sealed class DevCertificates(string folder)
{
    /// <summary>Names every development server certificate carries.</summary>
    public static readonly IReadOnlyList<string> LocalNames = ["localhost", "127.0.0.1", "::1"];

    /// <summary>The folder of <paramref name="home"/>.</summary>
    public static DevCertificates In(PrismHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return new DevCertificates(Path.Combine(home.Root, "certs"));
    }

    /// <summary>The folder holding the files.</summary>
    public string Folder { get; } = folder;

    /// <summary>The CA certificate: what browsers, prismctl (PRISM_TLS_CA_FILE) and servers trust.</summary>
    public string CaCertificate => Path.Combine(Folder, "ca.pem");

    /// <summary>The CA's private key: never leaves this folder.</summary>
    public string CaKey => Path.Combine(Folder, "ca-key.pem");

    /// <summary>The server certificate of every module listener.</summary>
    public string ServerCertificate => Path.Combine(Folder, "server.pem");

    /// <summary>Its key.</summary>
    public string ServerKey => Path.Combine(Folder, "server-key.pem");

    /// <summary>The client certificate for mTLS.</summary>
    public string ClientCertificate => Path.Combine(Folder, "client.pem");

    /// <summary>Its key.</summary>
    public string ClientKey => Path.Combine(Folder, "client-key.pem");

    private IEnumerable<string> All => [CaCertificate, CaKey, ServerCertificate, ServerKey, ClientCertificate, ClientKey];

    /// <summary>True when every file is there.</summary>
    public bool Exist => All.All(File.Exists);

    /// <summary>
    /// Creates what is missing: the CA (kept when it exists, unless <paramref name="force"/>), then the server certificate
    /// (for <see cref="LocalNames"/> and <paramref name="extraNames"/>) and the client certificate, issued again whenever
    /// the CA is new, <paramref name="force"/> is set or one is missing. Returns the files written.
    /// </summary>
    public IReadOnlyList<string> Ensure(IReadOnlyCollection<string> extraNames, bool force)
    {
        ArgumentNullException.ThrowIfNull(extraNames);
        Directory.CreateDirectory(Folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var written = new List<string>();
        var newCa = force || !File.Exists(CaCertificate) || !File.Exists(CaKey);
        using var authority = newCa
            ? LocalCertificateAuthority.Create($"Prism development CA ({Environment.UserName}@{Environment.MachineName})")
            : LocalCertificateAuthority.Load(CaCertificate, CaKey);
        if (newCa)
        {
            LocalCertificateAuthority.WritePem(authority.Certificate, CaCertificate, CaKey);
            written.Add(CaCertificate);
        }

        if (newCa || force || !File.Exists(ServerCertificate) || !File.Exists(ServerKey) || extraNames.Count > 0)
        {
            using var server = authority.IssueServer([.. LocalNames, .. extraNames.Except(LocalNames, StringComparer.OrdinalIgnoreCase)]);
            LocalCertificateAuthority.WritePem(server, ServerCertificate, ServerKey);
            written.Add(ServerCertificate);
        }

        if (newCa || force || !File.Exists(ClientCertificate) || !File.Exists(ClientKey))
        {
            using var client = authority.IssueClient("prism-dev-client");
            LocalCertificateAuthority.WritePem(client, ClientCertificate, ClientKey);
            written.Add(ClientCertificate);
        }

        return written;
    }

    /// <summary>
    /// The server settings that run a module on these files: its listener certificate, the CA every outbound
    /// connection trusts, and the client certificate outbound connections present when asked.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment() => new Dictionary<string, string>
    {
        [CoreSettings.TlsCertificate.EnvironmentVariable] = ServerCertificate,
        [CoreSettings.TlsKey.EnvironmentVariable] = ServerKey,
        [TlsSettings.CaBundle.EnvironmentVariable] = CaCertificate,
        [TlsSettings.OutboundCertificate.EnvironmentVariable] = ClientCertificate,
        [TlsSettings.OutboundKey.EnvironmentVariable] = ClientKey,
    };
}
