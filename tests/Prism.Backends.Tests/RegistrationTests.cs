using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.Backends.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task AddPrismBackends_ProvidesTheDriverRegistry_AndKeepsAReplacement()
    {
        using var home = new TempDirectory();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton(new PrismHome(home.Path));
        var fake = new FakeClock();
        services.AddSingleton<TimeProvider>(fake);

        services.AddPrismBackends();
        await using var provider = services.BuildServiceProvider();

        var drivers = provider.GetRequiredService<BackendDrivers>();
        Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
        Assert.NotNull(drivers.KeyValue("memstore"));
        Assert.Equal(BackendDriverOptions.Default, drivers.Catalog.DriverOptions);
    }

    [Fact]
    public void DriverSettings_MustBePositive()
    {
        using var home = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [BackendSettings.SubscriberBuffer.Key] = "0" }).Build();

        var refused = Assert.Throws<ConfigurationException>(() => new BackendCatalog(configuration, new PrismHome(home.Path)));

        Assert.Contains("PRISM_BACKEND_SUBSCRIBER_BUFFER", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("type: mongo", "unknown type 'mongo'")]
    [InlineData("type: redis", "setting 'url' is required for type redis")]
    [InlineData("type: sqlite\npath: relative.db", "setting 'path' must be an absolute path")]
    [InlineData("type: redis\nurl: redis://127.0.0.1:1\nhost: x", "type redis has no setting 'host'; accepted: url")]
    public void ConfiguredInstance_ThatIsWrong_StopsStart_NamingItsKey(string yaml, string reason)
    {
        using var home = new TempDirectory();
        var values = new Dictionary<string, string?>();
        foreach (var line in yaml.Split('\n'))
        {
            var (key, value) = (line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 2)..]);
            values[$"{BackendCatalog.InstancesSection}:team-cache:{key}"] = value;
        }

        var refused = Assert.Throws<ConfigurationException>(() => new BackendCatalog(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), new PrismHome(home.Path)));

        Assert.Contains("'backends:instances:team-cache'", refused.Message, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredInstances_AreTheTypeDefaultsPlusTheNamedOnes_AndSecretsStayOutOfTheEndpoint()
    {
        using var home = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{BackendCatalog.InstancesSection}:team-cache:type"] = "redis",
            [$"{BackendCatalog.InstancesSection}:team-cache:url"] = "redis://app:s3cret-pass@10.0.0.7:6380",
        }).Build();

        var catalog = new BackendCatalog(configuration, new PrismHome(home.Path));

        Assert.Equal(["memstore", "nats", "postgres", "redis", "sqlite", "team-cache"], catalog.Configured.Select(i => i.Name));
        var endpoint = Types.BuiltInBackendTypes.Find("redis")!.Endpoint(catalog.Find("team-cache")!);
        Assert.Equal("redis://10.0.0.7:6380", endpoint);
    }

    private sealed class FakeClock : TimeProvider;
}
