using Microsoft.Extensions.Configuration;
using Prism.Backends.Drivers.Memstore;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.Hosting.Settings;
using Prism.Hosting.Tls;

namespace Prism.Backends;

/// <summary>
/// What the process configuration says about backends: the instances it defines (one per type,
/// named after it, plus any under <c>backends:instances</c> in the config file) and the drivers' tuning.
/// </summary>
public sealed class BackendCatalog
{
    /// <summary>Configuration section whose children are named instances: <c>backends:instances:NAME:type</c> and the type's settings.</summary>
    public const string InstancesSection = "backends:instances";

    /// <summary>Reads backend settings; a bad value throws naming its key and variable.</summary>
    public BackendCatalog(IConfiguration configuration, PrismHome home)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(home);
        HealthTimeout = BackendSettings.HealthTimeout.Duration(configuration);
        DriverOptions = new BackendDriverOptions(
            BackendSettings.SubscriberBuffer.PositiveInt(configuration),
            BackendSettings.PurgeInterval.Duration(configuration),
            BackendSettings.PubSubRetention.Duration(configuration))
        {
            MemstoreQueueBytes = MemstoreBackendType.QueueMemorySetting.PositiveInt(configuration) * 1024L * 1024,
            MemstoreKeyValueBytes = MemstoreBackendType.KeyValueMemorySetting.PositiveInt(configuration) * 1024L * 1024,
        };
        Tls = OutboundTls.From(configuration);
        var instances = BuiltInBackendTypes.All.Select(t => t.DefaultInstance(configuration, home)).ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(InstancesSection).GetChildren())
        {
            var values = section.GetChildren().Where(c => c.Key != "type" && c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
            var spec = new BackendInstanceSpec(section.Key, section["type"] ?? "", values, BackendSource.Config);
            try
            {
                BackendInstanceRules.Validate(spec);
            }
            catch (BackendSpecException e)
            {
                throw new ConfigurationException($"'{InstancesSection}:{section.Key}' in the configuration: {e.Message}.");
            }

            instances[spec.Name] = spec;
        }

        Configured = [.. instances.Values.OrderBy(i => i.Name, StringComparer.Ordinal)];
    }

    /// <summary>The instances the configuration defines, by name.</summary>
    public IReadOnlyList<BackendInstanceSpec> Configured { get; }

    /// <summary>How long a health check or a connection attempt may take.</summary>
    public TimeSpan HealthTimeout { get; }

    /// <summary>Trust and client certificate of backend connections over TLS.</summary>
    public OutboundTls Tls { get; }

    /// <summary>Tuning shared by the drivers.</summary>
    public BackendDriverOptions DriverOptions { get; }

    /// <summary>The configured instance called <paramref name="name"/>, or null.</summary>
    public BackendInstanceSpec? Find(string name) => Configured.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));
}
