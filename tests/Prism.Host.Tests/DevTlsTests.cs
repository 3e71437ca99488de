using System.Security.Cryptography.X509Certificates;
using Prism.Hosting.Tls;
using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary><c>prism dev certs</c> and <c>prism dev up --tls</c>.</summary>
public class DevTlsTests
{
    [Fact]
    public async Task DevCerts_MakesACaThatVerifiesItsServerAndClientCertificates()
    {
        using var prism = new PrismCli();

        var result = await prism.RunAsync("dev", "certs", "--name", "prism.test");
        Assert.True(result.ExitCode == 0, result.ToString());

        var folder = Path.Combine(prism.Home, "certs");
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(Path.Combine(folder, "ca.pem"));
        using var server = X509Certificate2.CreateFromPemFile(Path.Combine(folder, "server.pem"), Path.Combine(folder, "server-key.pem"));
        using var client = X509Certificate2.CreateFromPemFile(Path.Combine(folder, "client.pem"), Path.Combine(folder, "client-key.pem"));

        Assert.True(CertificateTrust.ChainsTo(server, roots, CertificateTrust.ServerAuthentication));
        Assert.True(CertificateTrust.ChainsTo(client, roots, CertificateTrust.ClientAuthentication));
        Assert.False(CertificateTrust.ChainsTo(client, roots, CertificateTrust.ServerAuthentication), "a client certificate must not serve TLS");
        Assert.True(server.MatchesHostname("localhost"));
        Assert.True(server.MatchesHostname("127.0.0.1"));
        Assert.True(server.MatchesHostname("prism.test"));
        Assert.False(server.MatchesHostname("example.com"));
        Assert.True(server.HasPrivateKey);
        if (!OperatingSystem.IsWindows())
        {
            foreach (var key in new[] { "ca-key.pem", "server-key.pem", "client-key.pem" })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, key)));
            }
        }

        // Again: the CA stays (a browser that trusts it keeps trusting); --force makes a new one.
        var ca = roots[0].Thumbprint;
        Assert.Equal(0, (await prism.RunAsync("dev", "certs")).ExitCode);
        Assert.Equal(ca, X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, "ca.pem"))).Thumbprint);
        Assert.Equal(0, (await prism.RunAsync("dev", "certs", "--force")).ExitCode);
        Assert.NotEqual(ca, X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, "ca.pem"))).Thumbprint);
    }

    [Fact]
    public async Task DevUpTls_BringsUpAnHttpsStack_ThatPrismctlCalls()
    {
        using var prism = new PrismCli();
        // dev up --tls points the issuer at https://localhost:PORT/dex itself.
        prism.Environment["PRISM_IDENTITY_ISSUER"] = null;
        prism.Environment["PRISM_OIDC_ISSUER"] = null;
        foreach (var variable in new[] { "PRISM_TLS_CERT_FILE", "PRISM_TLS_KEY_FILE", "PRISM_TLS_CA_FILE", "PRISM_TLS_CLIENT_CERT_FILE", "PRISM_TLS_CLIENT_KEY_FILE", "PRISM_TLS_CLIENT_CERTS" })
        {
            prism.Environment[variable] = null;
        }

        var up = await prism.RunAsync("dev", "up", "--tls", "identity", "admin", "proxy", "console");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains($"https://localhost:{prism.IdentityPort}/dex", up.StandardOutput, StringComparison.Ordinal);
        var exports = up.StandardOutput.Split('\n')
            .Where(l => l.StartsWith("export ", StringComparison.Ordinal))
            .Select(l => l["export ".Length..].Trim().Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(Path.Combine(prism.Home, "certs", "ca.pem"), exports["PRISM_TLS_CA_FILE"]);
        Assert.StartsWith("https://localhost:", exports["PRISM_ADMIN_ENDPOINT"], StringComparison.Ordinal);

        var status = await prism.RunAsync("dev", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("https://", status.StandardOutput, StringComparison.Ordinal);

        // Readiness over https, trusting only the dev CA.
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(exports["PRISM_TLS_CA_FILE"]);
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ServerValidator(roots);
        using var http = new HttpClient(handler);
        using var ready = await http.GetAsync(new Uri(exports["PRISM_ADMIN_ENDPOINT"] + "/readyz"));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);

        using var home = new TempDirectory("prismctl-dev-tls");
        var environment = new Dictionary<string, string?>(exports.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)))
        {
            ["PRISM_HOME"] = home.Path,
            ["PRISM_TOKEN"] = null,
            ["PRISM_CLIENT_ID"] = null,
            ["PRISM_CLIENT_SECRET"] = null,
            ["PRISM_OIDC_CLIENT_ID"] = null,
        };
        var health = await CliRunner.RunAsync(typeof(Prism.Cli.ExitCodes).Assembly.Location, ["health"], environment, TimeSpan.FromSeconds(60));
        Assert.True(health.ExitCode == 0, health.ToString());
        var list = await CliRunner.RunAsync(typeof(Prism.Cli.ExitCodes).Assembly.Location, ["namespace", "list"], environment, TimeSpan.FromSeconds(60));
        Assert.True(list.ExitCode == 0, list.ToString());
    }
}
