using Grpc.Health.V1;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>The module's settings, health and reflection.</summary>
public class ModuleTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    [Fact]
    public async Task Health_IsServing()
    {
        var health = new Health.HealthClient(fixture.Server.Channel);
        var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(Timeouts.Await));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = ProxyOptions.Read(new ConfigurationBuilder().Build());
        Assert.Equal(1024, options.MaxKeyBytes);
        Assert.Equal(1024 * 1024, options.MaxValueBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ControlPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), options.SessionFlushInterval);
        Assert.EndsWith("-" + Environment.ProcessId, options.ProxyId);
        Assert.Equal("8980", new ProxyModule().PortSetting.DefaultValue);
    }

    [Theory]
    [InlineData("proxy:max_value_bytes", "lots", "PRISM_PROXY_MAX_VALUE_BYTES")]
    [InlineData("proxy:control_poll_interval", "0", "PRISM_PROXY_CONTROL_POLL_INTERVAL")]
    [InlineData("proxy:control_poll_interval", "500", "PRISM_PROXY_CONTROL_POLL_INTERVAL")]
    [InlineData("proxy:session_idle_timeout", "-5m", "PRISM_PROXY_SESSION_IDLE_TIMEOUT")]
    [InlineData("proxy:max_request_bytes", "1000", "PRISM_PROXY_MAX_REQUEST_BYTES")]
    public void BadSetting_IsRefused_NamingKeyAndVariable(string key, string value, string variable)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var error = Assert.Throws<ConfigurationException>(() => ProxyOptions.Read(configuration));
        Assert.Contains(variable, error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Intervals_AreDurations()
    {
        var options = ProxyOptions.Read(Configuration(new()
        {
            ["PRISM_PROXY_CONTROL_POLL_INTERVAL"] = "250ms",
            ["PRISM_PROXY_SESSION_FLUSH_INTERVAL"] = "2s",
            ["PRISM_PROXY_SESSION_IDLE_TIMEOUT"] = "1h30m",
            ["PRISM_PROXY_NAMESPACE_REFRESH_INTERVAL"] = "1m",
        }));

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ControlPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.SessionFlushInterval);
        Assert.Equal(TimeSpan.FromMinutes(90), options.SessionIdleTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), options.NamespaceRefreshInterval);
    }

    [Fact]
    public void DeprecatedVariables_StillWork_InTheirOldUnits()
    {
        var configuration = Configuration(new()
        {
            ["PRISM_PROXY_CONTROL_POLL_MS"] = "250",
            ["PRISM_PROXY_SESSION_FLUSH_MS"] = "2000",
            ["PRISM_PROXY_SESSION_IDLE_S"] = "90",
            ["PRISM_PROXY_NAMESPACE_REFRESH_MS"] = "750",
        });

        var options = ProxyOptions.Read(configuration);

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ControlPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.SessionFlushInterval);
        Assert.Equal(TimeSpan.FromSeconds(90), options.SessionIdleTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(750), options.NamespaceRefreshInterval);
        Assert.Equal(4, DeprecatedSettings.InUse(configuration, ProxySettings.All).Count);
    }

    [Fact]
    public void NewVariable_WinsOverTheDeprecatedOne()
    {
        var configuration = Configuration(new() { ["PRISM_PROXY_CONTROL_POLL_MS"] = "250", ["PRISM_PROXY_CONTROL_POLL_INTERVAL"] = "2s" });

        Assert.Equal(TimeSpan.FromSeconds(2), ProxyOptions.Read(configuration).ControlPollInterval);
        Assert.Empty(DeprecatedSettings.InUse(configuration, ProxySettings.All));
    }

    [Fact]
    public void BadDeprecatedValue_IsRefused_NamingTheOldVariableAndItsReplacement()
    {
        var error = Assert.Throws<ConfigurationException>(() => ProxyOptions.Read(Configuration(new() { ["PRISM_PROXY_SESSION_IDLE_S"] = "5m" })));

        Assert.Equal(
            "'proxy:session_idle_s' (PRISM_PROXY_SESSION_IDLE_S, deprecated: use PRISM_PROXY_SESSION_IDLE_TIMEOUT) must be a positive whole number of seconds; got '5m'.",
            error.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> environment) =>
        new ConfigurationBuilder().AddPrismSettings(ProxySettings.All, new System.Collections.Hashtable(environment)).Build();

    [Fact]
    public void EverySetting_IsDeclaredByTheModule()
    {
        var settings = new ProxyModule().Settings.Select(s => s.EnvironmentVariable).ToHashSet();
        Assert.Superset(ProxySettings.All.Select(s => s.EnvironmentVariable).ToHashSet(), settings);
        Assert.Contains("PRISM_DATABASE_URL", settings);
        Assert.Contains("PRISM_OIDC_ISSUER", settings);
        Assert.Contains("PRISM_REDIS_URL", settings);
    }
}
