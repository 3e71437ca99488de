using System.Globalization;
using System.Net;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Admin.Tests;

/// <summary>Kubernetes probes on admin's own listener, over https: /healthz (alive) and /readyz (the control store answers).</summary>
public sealed class ProbeEndpointTests
{
    [Fact]
    public async Task Readyz_FollowsTheControlStore_WhileHealthzStaysUp()
    {
        using var certificates = new TestCertificates();
        using var home = new TempDirectory("prism-probes");
        var postgres = await PostgresServer.StartAsync().WaitAsync(TimeSpan.FromSeconds(120));
        var stopped = false;
        try
        {
            var database = await postgres.CreateDatabaseAsync();
            await using var admin = await ModuleApp.StartAsync(new AdminModule(), new Dictionary<string, string?>
            {
                ["home"] = home.Path,
                ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["admin:database_url"] = postgres.Url(database),
                ["tls:cert_file"] = certificates.ServerCertificateFile,
                ["tls:key_file"] = certificates.ServerKeyFile,
                ["security:oidc_issuer"] = "http://127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture) + "/dex",
                ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            });
            Assert.Equal("https", admin.BaseAddress.Scheme);
            using var http = new HttpClient(certificates.Handler()) { BaseAddress = admin.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

            await AssertAnswersAsync(http, "/healthz", HttpStatusCode.OK, "ok");
            await AssertAnswersAsync(http, "/readyz", HttpStatusCode.OK, "ok");

            await postgres.DisposeAsync();
            stopped = true;

            var deadline = DateTime.UtcNow.AddSeconds(60);
            HttpStatusCode status;
            do
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                status = response.StatusCode;
            }
            while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            await AssertAnswersAsync(http, "/readyz", HttpStatusCode.ServiceUnavailable, "unavailable");
            await AssertAnswersAsync(http, "/healthz", HttpStatusCode.OK, "ok");
        }
        finally
        {
            if (!stopped)
            {
                await postgres.DisposeAsync();
            }
        }
    }

    private static async Task AssertAnswersAsync(HttpClient http, string path, HttpStatusCode expected, string body)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(body, (await response.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(new Version(1, 1), response.Version);
    }
}
