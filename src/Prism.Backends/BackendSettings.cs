using Prism.Backends.Types;
using Prism.Hosting.Settings;

namespace Prism.Backends;

/// <summary>Backend settings every process (admin, proxy) reads: the default instances of each type and the drivers' tuning.</summary>
public static class BackendSettings
{
    /// <summary>Health-check timeout.</summary>
    public static readonly Setting HealthTimeout = new("PRISM_BACKEND_HEALTH_TIMEOUT", "backends:health_timeout", "2s",
        "Time a backend health check or connection test may take before the instance is UNHEALTHY.")
    {
        Alias = new DeprecatedAlias("PRISM_BACKEND_HEALTH_TIMEOUT_MS", "backends:health_timeout_ms", TimeSpan.FromMilliseconds(1)),
    };

    /// <summary>Buffer of a non-durable subscriber.</summary>
    public static readonly Setting SubscriberBuffer = new("PRISM_BACKEND_SUBSCRIBER_BUFFER", "backends:subscriber_buffer", "1024",
        "Messages a non-durable subscriber may have pending; one that falls further behind is disconnected (it can subscribe again) so it never slows publishers or other subscribers.");

    /// <summary>Interval of the expired-key purge.</summary>
    public static readonly Setting PurgeInterval = new("PRISM_BACKEND_PURGE_INTERVAL", "backends:purge_interval", "1m",
        "Time between deletions of expired keys (memstore, sqlite, postgres) and of old pub/sub messages (postgres); reads ignore expired keys regardless.")
    {
        Alias = new DeprecatedAlias("PRISM_BACKEND_PURGE_INTERVAL_S", "backends:purge_interval_s", TimeSpan.FromSeconds(1)),
    };

    /// <summary>How long published messages are kept.</summary>
    public static readonly Setting PubSubRetention = new("PRISM_BACKEND_PUBSUB_RETENTION", "backends:pubsub_retention", "24h",
        "Time published messages are kept: the postgres message table and the NATS JetStream stream (what a durable subscriber can catch up on); also how long an unused durable subscriber is kept.")
    {
        Alias = new DeprecatedAlias("PRISM_BACKEND_PUBSUB_RETENTION_S", "backends:pubsub_retention_s", TimeSpan.FromSeconds(1)),
    };

    /// <summary>Every backend setting.</summary>
    public static IReadOnlyList<Setting> All { get; } =
        [.. BuiltInBackendTypes.All.SelectMany(t => t.ConfigurationSettings), HealthTimeout, SubscriberBuffer, PurgeInterval, PubSubRetention];
}
