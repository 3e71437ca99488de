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

        var refused = Assert.Throws<InvalidOperationException>(() => new BackendCatalog(configuration, new PrismHome(home.Path)));

        Assert.Contains("PRISM_BACKEND_SUBSCRIBER_BUFFER", refused.Message, StringComparison.Ordinal);
    }

    private sealed class FakeClock : TimeProvider;
}
