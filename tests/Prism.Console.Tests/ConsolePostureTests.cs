using System.Globalization;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.WebConsole.Tests;

/// <summary>The console's development defaults: logged in dev, refused in production, each naming its setting.</summary>
public class ConsolePostureTests
{
    [Fact]
    public async Task DevDefaults_AreLogged_WithTheInsecureDefaultLine()
    {
        using var home = new TempDirectory("prism-console-posture");
        await using var console = await ModuleApp.StartAsync(new ConsoleModule(), Settings(home));

        var warnings = console.Logs.Entries
            .Where(e => e.Level == LogLevel.Warning && e.Message == DeploymentPosture.WarningMessage && e.Fields.GetValueOrDefault("dependency") == "console")
            .Select(e => e.Fields["prod_delta"])
            .ToList();

        Assert.Contains(warnings, d => d!.Contains("PRISM_CONSOLE_OIDC_CLIENT_SECRET", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d!.Contains("https PRISM_CONSOLE_PUBLIC_URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Production_RefusesTheDevelopmentSecretAndPlainHttp_NamingTheSettings()
    {
        using var home = new TempDirectory("prism-console-posture");
        var settings = Settings(home);
        settings["env"] = "production";

        var refused = await Assert.ThrowsAsync<ProductionPostureException>(() => ModuleApp.StartAsync(new ConsoleModule(), settings));

        Assert.Contains("PRISM_CONSOLE_OIDC_CLIENT_SECRET", refused.Message, StringComparison.Ordinal);
        Assert.Contains("PRISM_CONSOLE_PUBLIC_URL", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithItsOwnSecretAndAnHttpsPublicUrl_Starts()
    {
        using var home = new TempDirectory("prism-console-posture");
        var settings = Settings(home);
        settings["env"] = "production";
        settings["console:oidc_client_secret"] = "a-secret-from-the-secret-store";
        settings["console:public_url"] = "https://console.example.test";
        settings["security:oidc_issuer"] = "https://login.example.test/dex";

        await using var console = await ModuleApp.StartAsync(new ConsoleModule(), settings);
        using var http = new HttpClient();
        var health = await http.GetStringAsync(new Uri(console.BaseAddress, "/healthz")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("ok", health);
    }

    [Fact]
    public async Task AMalformedPublicUrl_StopsStartUp_NamingTheSetting()
    {
        using var home = new TempDirectory("prism-console-posture");
        var settings = Settings(home);
        settings["console:public_url"] = "localhost:8090/console";

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => ModuleApp.StartAsync(new ConsoleModule(), settings)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("PRISM_CONSOLE_PUBLIC_URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInWhileTheIssuerIsDown_ShowsAPageNamingTheDiscoveryUrl()
    {
        using var home = new TempDirectory("prism-console-posture");
        var settings = Settings(home);
        var issuer = $"http://127.0.0.1:{FreePort.Next()}/dex";
        settings["security:oidc_issuer"] = issuer;
        await using var console = await ModuleApp.StartAsync(new ConsoleModule(), settings);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(console.BaseAddress, "/namespaces"));
        request.Headers.Host = "localhost:" + console.BaseAddress.Port.ToString(CultureInfo.InvariantCulture);

        using var response = await http.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(issuer + "/.well-known/openid-configuration", page, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Theory]
    [InlineData("//evil.example/x", "/evil.example/x")]
    [InlineData("///evil.example/x", "/evil.example/x")]
    [InlineData("/namespaces?page_token=a%2Fb", "/namespaces?page_token=a%2Fb")]
    public async Task ARequestOnAnotherHost_IsSentToTheSamePathOnThePublicHost_NeverAnotherSite(string path, string expected)
    {
        using var home = new TempDirectory("prism-console-posture");
        var settings = Settings(home);
        var port = settings["console:port"]!;
        await using var console = await ModuleApp.StartAsync(new ConsoleModule(), settings);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"http://localhost:{port}{expected}", response.Headers.Location!.OriginalString);
    }

    private static Dictionary<string, string?> Settings(TempDirectory home) => new()
    {
        ["home"] = home.Path,
        ["console:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["console:admin_url"] = "http://127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
    };
}
