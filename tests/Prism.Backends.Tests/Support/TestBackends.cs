using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Backends.Instances;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.Backends.Tests.Support;

/// <summary>The real instances, connections and drivers, configured in memory as a host would be.</summary>
public sealed class TestBackends : IAsyncDisposable
{
    private readonly TempDirectory _home = new("prism-backends");

    public TestBackends(IReadOnlyDictionary<string, string?> settings, TimeProvider? time = null, IBackendInstanceSource? source = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Catalog = new BackendCatalog(configuration, new PrismHome(_home.Path));
        Registry = new BackendDrivers(Catalog, source is null ? [] : [source], time ?? TimeProvider.System, NullLoggerFactory.Instance);
    }

    public BackendCatalog Catalog { get; }

    public BackendDrivers Registry { get; }

    /// <summary>Small subscriber buffers so the slow-subscriber tests stay fast.</summary>
    public static Dictionary<string, string?> Settings(params (Setting Setting, string Value)[] values)
    {
        var settings = new Dictionary<string, string?> { [BackendSettings.SubscriberBuffer.Key] = Timeouts.SubscriberBuffer.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (setting, value) in values)
        {
            settings[setting.Key] = value;
        }

        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        _home.Dispose();
    }
}
