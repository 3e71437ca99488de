using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Prism.Admin;
using Prism.Client;
using Prism.Hosting.Tls;
using Prism.Identity;
using Prism.Proxy;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>
/// Identity over TLS, and admin and proxy over TLS requiring client certificates from a private CA
/// (PRISM_TLS_CLIENT_CERTS=require): every server checks tokens against an https issuer it trusts
/// through PRISM_TLS_CA_FILE.
/// </summary>
public sealed class MutualTlsServers : IAsyncLifetime
{
    private readonly TempDirectory _home = new("prism-mtls");
    private readonly List<ModuleApp> _apps = [];

    public TestCertificates Certificates { get; } = new();

    public string Issuer { get; private set; } = "";

    public Uri Admin { get; private set; } = null!;

    public Uri Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var identityPort = FreePort.Next();
        Issuer = $"https://127.0.0.1:{identityPort}/dex";
        var tls = new Dictionary<string, string?>
        {
            ["home"] = _home.Path,
            ["tls:cert_file"] = Certificates.ServerCertificateFile,
            ["tls:key_file"] = Certificates.ServerKeyFile,
            ["tls:ca_file"] = Certificates.CaFile,
        };
        var mutual = new Dictionary<string, string?>(tls)
        {
            ["tls:client_certs"] = "require",
            ["tls:client_ca_file"] = Certificates.CaFile,
            ["security:oidc_issuer"] = Issuer,
            ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["backends:health_timeout"] = "500ms",
        };
        _apps.Add(await ModuleApp.StartAsync(new IdentityModule(), new Dictionary<string, string?>(tls)
        {
            ["identity:port"] = identityPort.ToString(CultureInfo.InvariantCulture),
            ["identity:issuer"] = Issuer,
        }));
        var admin = await ModuleApp.StartAsync(new AdminModule(), new Dictionary<string, string?>(mutual)
        {
            ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["admin:rate_limit_per_minute"] = "100000",
        });
        _apps.Add(admin);
        Admin = admin.BaseAddress;
        var proxy = await ModuleApp.StartAsync(new ProxyModule(), new Dictionary<string, string?>(mutual)
        {
            ["proxy:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        });
        _apps.Add(proxy);
        Proxy = proxy.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.DisposeAsync();
        }

        Certificates.Dispose();
        _home.Dispose();
    }
}

public sealed class MutualTlsTests(MutualTlsServers servers) : IClassFixture<MutualTlsServers>
{
    [Fact]
    public void AdminAndProxy_ListenOverHttps()
    {
        Assert.Equal("https", servers.Admin.Scheme);
        Assert.Equal("https", servers.Proxy.Scheme);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("proxy")]
    public async Task WithoutAClientCertificate_TheTlsHandshakeIsRefused(string module)
    {
        var endpoint = module == "admin" ? servers.Admin : servers.Proxy;
        var failure = await HandshakeFailureAsync(endpoint, null);

        Assert.NotNull(failure);
        Assert.True(failure is AuthenticationException or IOException, failure.ToString());
    }

    [Fact]
    public async Task WithACertificateFromAnotherCa_TheTlsHandshakeIsRefused()
    {
        using var foreign = X509Certificate2.CreateFromPemFile(servers.Certificates.ForeignClientCertificateFile, servers.Certificates.ForeignClientKeyFile);
        var failure = await HandshakeFailureAsync(servers.Admin, foreign);

        Assert.NotNull(failure);
        Assert.True(failure is AuthenticationException or IOException, failure.ToString());
    }

    [Fact]
    public async Task WithTheIssuedCertificate_TheHandshakeSucceeds()
    {
        using var client = X509Certificate2.CreateFromPemFile(servers.Certificates.ClientCertificateFile, servers.Certificates.ClientKeyFile);
        Assert.Null(await HandshakeFailureAsync(servers.Admin, client));
    }

    [Fact]
    public async Task AGrpcCallWithoutACertificate_FailsOnTheTlsConnection()
    {
        using var channel = GrpcChannel.ForAddress(servers.Admin, new GrpcChannelOptions { HttpHandler = servers.Certificates.Handler() });
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(20)));

        // gRPC reports a broken connection as UNAVAILABLE or INTERNAL depending on when it breaks; the cause is what counts.
        Assert.Contains(e.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.True(Causes(e).Any(c => c is AuthenticationException or IOException), e.ToString());
    }

    [Fact]
    public async Task AGrpcCallWithTheCertificate_IsServed()
    {
        using var channel = GrpcChannel.ForAddress(servers.Proxy, new GrpcChannelOptions
        {
            HttpHandler = servers.Certificates.Handler(servers.Certificates.ClientCertificateFile, servers.Certificates.ClientKeyFile),
        });
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("proxy")]
    public async Task Probes_AnswerOverHttps_ToAClientWithTheCertificate(string module)
    {
        using var http = new HttpClient(servers.Certificates.Handler(servers.Certificates.ClientCertificateFile, servers.Certificates.ClientKeyFile))
        {
            BaseAddress = module == "admin" ? servers.Admin : servers.Proxy,
        };

        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", (await response.Content.ReadAsStringAsync()).Trim());
        }
    }

    [Fact]
    public async Task Prismctl_WithTheIssuedCertificate_LogsInAndCallsAdminAndProxy()
    {
        using var home = new TempDirectory("prismctl-mtls");
        var environment = Environment(home.Path, withCertificate: true);

        var health = await CliRunner.RunAsync(Prismctl.Assembly, ["health"], environment, TimeSpan.FromSeconds(60));
        Assert.True(health.ExitCode == 0, health.ToString());
        Assert.Contains("proxy", health.StandardOutput, StringComparison.Ordinal);

        var list = await CliRunner.RunAsync(Prismctl.Assembly, ["namespace", "list"], environment, TimeSpan.FromSeconds(60));
        Assert.True(list.ExitCode == 0, list.ToString());
    }

    [Fact]
    public async Task PrismClient_PresentsTheConfiguredCertificate_AndWithoutItIsRefused()
    {
        PrismClientOptions Options(bool withCertificate) => new()
        {
            Endpoint = servers.Proxy,
            Namespace = "no-such-namespace",
            Issuer = new Uri(servers.Issuer),
            LocalDev = true,
            MaxAttempts = 1,
            CaFile = servers.Certificates.CaFile,
            ClientCertificateFile = withCertificate ? servers.Certificates.ClientCertificateFile : null,
            ClientKeyFile = withCertificate ? servers.Certificates.ClientKeyFile : null,
        };

        // Through the handshake and the token check, to the namespace lookup: the proxy served the call.
        using (var connection = new PrismConnection(Options(withCertificate: true)))
        {
            var served = await Assert.ThrowsAsync<RpcException>(() => new PrismKeyValueClient(connection).GetAsync("k"));
            Assert.Equal(StatusCode.NotFound, served.StatusCode);
        }

        using (var connection = new PrismConnection(Options(withCertificate: false)))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => new PrismKeyValueClient(connection).GetAsync("k"));
            Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        }
    }

    [Fact]
    public async Task Prismctl_WithoutACertificate_IsRefused()
    {
        using var home = new TempDirectory("prismctl-mtls");
        var environment = Environment(home.Path, withCertificate: false);

        var list = await CliRunner.RunAsync(Prismctl.Assembly, ["namespace", "list"], environment, TimeSpan.FromSeconds(60));
        Assert.True(list.ExitCode == ExitCodes.Unavailable, list.ToString());

        var health = await CliRunner.RunAsync(Prismctl.Assembly, ["health"], environment, TimeSpan.FromSeconds(60));
        Assert.True(health.ExitCode == ExitCodes.Unavailable, health.ToString());
    }

    [Fact]
    public async Task Prismctl_WithAMissingCaFile_SaysWhichSetting()
    {
        using var home = new TempDirectory("prismctl-mtls");
        var environment = Environment(home.Path, withCertificate: true);
        environment["PRISM_TLS_CA_FILE"] = Path.Combine(home.Path, "missing.pem");

        var result = await CliRunner.RunAsync(Prismctl.Assembly, ["health"], environment, TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("PRISM_TLS_CA_FILE", result.StandardError, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Environment(string home, bool withCertificate) => new()
    {
        ["PRISM_HOME"] = home,
        ["PRISM_ADMIN_ENDPOINT"] = servers.Admin.ToString(),
        ["PRISM_PROXY_ENDPOINT"] = servers.Proxy.ToString(),
        ["PRISM_OIDC_ISSUER"] = servers.Issuer,
        ["PRISM_LOCAL_DEV"] = "true",
        ["PRISM_TLS_CA_FILE"] = servers.Certificates.CaFile,
        ["PRISM_TLS_CLIENT_CERT_FILE"] = withCertificate ? servers.Certificates.ClientCertificateFile : null,
        ["PRISM_TLS_CLIENT_KEY_FILE"] = withCertificate ? servers.Certificates.ClientKeyFile : null,
        ["PRISM_TOKEN"] = null,
        ["PRISM_CLIENT_ID"] = null,
        ["PRISM_CLIENT_SECRET"] = null,
        ["PRISM_OIDC_CLIENT_ID"] = null,
        ["DISPLAY"] = null,
        ["WAYLAND_DISPLAY"] = null,
    };

    /// <summary>
    /// Opens TLS to <paramref name="endpoint"/> as an HTTP/2 client would and reads the server's first frame; null
    /// when that works. With TLS 1.3 a refused client certificate surfaces on the first read, not in the handshake call.
    /// </summary>
    private async Task<Exception?> HandshakeFailureAsync(Uri endpoint, X509Certificate2? clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                RemoteCertificateValidationCallback = CertificateTrust.ServerValidator(servers.Certificates.Roots()),
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            });
            // The HTTP/2 client preface; the server answers with its SETTINGS frame.
            await tls.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray().Concat(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }).ToArray());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var buffer = new byte[64];
            var read = await tls.ReadAsync(buffer, timeout.Token);
            return read > 0 ? null : new IOException("the server closed the connection without answering");
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return e;
        }
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is RpcException { Status.DebugException: { } debug })
            {
                foreach (var inner in Causes(debug))
                {
                    yield return inner;
                }
            }
        }
    }
}
