using Prism.Hosting.Settings;

namespace Prism.Backends;

/// <summary>Where the backends are. Every process (admin, proxy) reads the same settings.</summary>
public static class BackendSettings
{
    /// <summary>Redis endpoint.</summary>
    public static readonly Setting RedisUrl = new("PRISM_REDIS_URL", "backends:redis:url", "127.0.0.1:6379",
        "Redis endpoint for the 'redis' backend, in StackExchange.Redis form (host:port[,password=…]) or redis://[user:pass@]host:port.");

    /// <summary>PostgreSQL connection for the 'postgres' backend.</summary>
    public static readonly Setting PostgresUrl = new("PRISM_POSTGRES_URL", "backends:postgres:url", "postgres://prism@127.0.0.1:5432/prism",
        "PostgreSQL for the 'postgres' backend: postgres://user:pass@host:port/db or an Npgsql connection string.");

    /// <summary>NATS server URL.</summary>
    public static readonly Setting NatsUrl = new("PRISM_NATS_URL", "backends:nats:url", "nats://127.0.0.1:4222",
        "NATS server for the 'nats' backend (JetStream enabled for durable topics).");

    /// <summary>SQLite file of the 'sqlite' backend.</summary>
    public static readonly Setting SqlitePath = new("PRISM_SQLITE_PATH", "backends:sqlite:path", null,
        "File of the 'sqlite' key-value backend. Default: PRISM_HOME/data/keyvalue.db.");

    /// <summary>Health-check timeout.</summary>
    public static readonly Setting HealthTimeout = new("PRISM_BACKEND_HEALTH_TIMEOUT_MS", "backends:health_timeout_ms", "2000",
        "Milliseconds a backend health check may take before the backend is UNHEALTHY.");

    /// <summary>Buffer of a non-durable subscriber.</summary>
    public static readonly Setting SubscriberBuffer = new("PRISM_BACKEND_SUBSCRIBER_BUFFER", "backends:subscriber_buffer", "1024",
        "Messages a non-durable subscriber may have pending; one that falls further behind is disconnected (it can subscribe again) so it never slows publishers or other subscribers.");

    /// <summary>Interval of the expired-key purge.</summary>
    public static readonly Setting PurgeInterval = new("PRISM_BACKEND_PURGE_INTERVAL_S", "backends:purge_interval_s", "60",
        "Seconds between deletions of expired keys (memstore, sqlite, postgres) and of old pub/sub messages (postgres); reads ignore expired keys regardless.");

    /// <summary>How long published messages are kept.</summary>
    public static readonly Setting PubSubRetention = new("PRISM_BACKEND_PUBSUB_RETENTION_S", "backends:pubsub_retention_s", "86400",
        "Seconds published messages are kept: the postgres message table and the NATS JetStream stream (what a durable subscriber can catch up on); also how long an unused durable subscriber is kept.");

    /// <summary>Every backend setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [RedisUrl, PostgresUrl, NatsUrl, SqlitePath, HealthTimeout, SubscriberBuffer, PurgeInterval, PubSubRetention];
}
