using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Hosting.Telemetry;
using Prism.Testing;

namespace Prism.Hosting.Tests;

public class ListenerTlsTests
{
    [Fact]
    public async Task Production_RefusesAPlaintextListenerOnANonLoopbackAddress()
    {
        var error = await Assert.ThrowsAsync<ProductionPostureException>(() => StartAsync(new()
        {
            ["env"] = "production", ["bind_address"] = "0.0.0.0",
        }));

        Assert.Contains("PRISM_TLS_CERT_FILE", error.Message);
    }

    [Fact]
    public async Task Production_KeepsAPlaintextListenerOnLoopback_AndDevelopmentWarnsAboutIt()
    {
        await using (var production = await StartAsync(new() { ["env"] = "production" }))
        {
            Assert.DoesNotContain(production.Logs.Entries, e => e.Message == DeploymentPosture.WarningMessage);
        }

        await using var development = await StartAsync(new());
        Assert.Contains(development.Logs.Entries, e => e.Message == DeploymentPosture.WarningMessage && e.Fields["dependency"] == "probe");
    }

    [Fact]
    public async Task WithACertificate_TheListenerServesTls_AndNothingIsReported()
    {
        using var folder = new TempDirectory();
        var (cert, key) = WriteSelfSignedPem(folder.Path);

        await using var app = await StartAsync(new() { ["env"] = "production", ["bind_address"] = "0.0.0.0", ["tls:cert_file"] = cert, ["tls:key_file"] = key });

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler);
        var reply = await http.GetStringAsync(new Uri($"https://127.0.0.1:{app.BaseAddress.Port}/hello")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("hello", reply);
    }

    [Fact]
    public async Task WithACertificate_TheMetricsListenerServesTlsToo()
    {
        using var folder = new TempDirectory();
        var (cert, key) = WriteSelfSignedPem(folder.Path);

        await using var metrics = await PrismMetricsServer.StartAsync([new ProbeModule()], [], new Dictionary<string, string?>
        {
            ["metrics:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture), ["tls:cert_file"] = cert, ["tls:key_file"] = key,
        });

        Assert.NotNull(metrics);
        Assert.Equal("https", metrics.Address.Scheme);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler);
        var scrape = new Uri($"https://127.0.0.1:{metrics.Address.Port}/metrics");
        _ = await http.GetStringAsync(scrape).WaitAsync(TimeSpan.FromSeconds(30));
        var exposition = await http.GetStringAsync(scrape).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("# TYPE", exposition);
    }

    [Fact]
    public async Task HalfATlsPair_IsRejected_NamingBothSettings()
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => StartAsync(new() { ["tls:cert_file"] = "/tmp/only-cert.pem" }));

        Assert.Contains("PRISM_TLS_CERT_FILE", error.Message);
        Assert.Contains("PRISM_TLS_KEY_FILE", error.Message);
    }

    [Fact]
    public async Task ClientCertificates_WithoutTls_AreRefused_NamingTheSettings()
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => StartAsync(new() { ["tls:client_certs"] = "require" }));

        Assert.Contains("PRISM_TLS_CLIENT_CERTS", error.Message);
        Assert.Contains("PRISM_TLS_CERT_FILE", error.Message);
    }

    [Fact]
    public async Task ClientCertificates_WithoutACa_AreRefused_NamingTheCaSetting()
    {
        using var folder = new TempDirectory();
        var (cert, key) = WriteSelfSignedPem(folder.Path);

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => StartAsync(new()
        {
            ["tls:cert_file"] = cert, ["tls:key_file"] = key, ["tls:client_certs"] = "optional",
        }));

        Assert.Contains("PRISM_TLS_CLIENT_CA_FILE", error.Message);
    }

    [Fact]
    public async Task AnUnknownClientCertificateMode_IsRefused_ListingTheChoices()
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => StartAsync(new() { ["tls:client_certs"] = "requir" }));

        Assert.Contains("PRISM_TLS_CLIENT_CERTS", error.Message);
        Assert.Contains("none, optional, require", error.Message);
    }

    [Fact]
    public async Task ACaBundleWithoutCertificates_IsRefused_NamingTheSetting()
    {
        using var folder = new TempDirectory();
        var empty = Path.Combine(folder.Path, "empty.pem");
        await File.WriteAllTextAsync(empty, "not a certificate\n");

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => StartAsync(new() { ["tls:ca_file"] = empty }));

        Assert.Contains("PRISM_TLS_CA_FILE", error.Message);
    }

    private static Task<ModuleApp> StartAsync(Dictionary<string, string?> settings)
    {
        settings["home"] = Path.GetTempPath();
        settings["probe:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        return ModuleApp.StartAsync(new ProbeModule(), settings);
    }

    private static (string Cert, string Key) WriteSelfSignedPem(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var cert = Path.Combine(folder, "cert.pem");
        var key = Path.Combine(folder, "key.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    private sealed class ProbeModule : PrismModule
    {
        private static readonly Setting Port = new("PRISM_PROBE_PORT", "probe:port", "0", "test only");

        public override string Name => "probe";

        public override Setting PortSetting => Port;

        public override void ConfigureServices(WebApplicationBuilder builder)
        {
        }

        public override void MapEndpoints(WebApplication app) => app.MapGet("/hello", () => "hello");

        public override HealthProbe Health(Uri baseAddress) => new(HealthProbeKind.Http, baseAddress);
    }
}
