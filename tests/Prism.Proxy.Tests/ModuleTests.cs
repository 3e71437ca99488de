using Grpc.Health.V1;
using Microsoft.Extensions.Configuration;
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
    [InlineData("proxy:control_poll_ms", "0", "PRISM_PROXY_CONTROL_POLL_MS")]
    [InlineData("proxy:max_request_bytes", "1000", "PRISM_PROXY_MAX_REQUEST_BYTES")]
    public void BadSetting_IsRefused_NamingKeyAndVariable(string key, string value, string variable)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ProxyOptions.Read(configuration));
        Assert.Contains(variable, error.Message);
        Assert.Contains(key, error.Message);
    }

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
