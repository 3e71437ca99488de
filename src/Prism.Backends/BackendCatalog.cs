using System.Globalization;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Backends;

/// <summary>The backends this deployment offers, with their connection settings.</summary>
public sealed class BackendCatalog
{
    /// <summary>Reads backend settings.</summary>
    public BackendCatalog(IConfiguration configuration, PrismHome home)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(home);
        RedisConfiguration = ConnectionStrings.Redis(Value(configuration, BackendSettings.RedisUrl));
        PostgresConnectionString = ConnectionStrings.Postgres(Value(configuration, BackendSettings.PostgresUrl));
        NatsUrl = Value(configuration, BackendSettings.NatsUrl);
        SqlitePath = configuration[BackendSettings.SqlitePath.Key] is { Length: > 0 } path ? path : Path.Combine(home.DataDirectory, "keyvalue.db");
        HealthTimeout = TimeSpan.FromMilliseconds(double.Parse(Value(configuration, BackendSettings.HealthTimeout), CultureInfo.InvariantCulture));
        DriverOptions = new BackendDriverOptions(
            Positive(configuration, BackendSettings.SubscriberBuffer),
            TimeSpan.FromSeconds(Positive(configuration, BackendSettings.PurgeInterval)),
            TimeSpan.FromSeconds(Positive(configuration, BackendSettings.PubSubRetention)));
        All =
        [
            new("memstore", "memstore", "in-process",
                [Capabilities.KeyValueBasic, Capabilities.KeyValueTtl, Capabilities.KeyValueBatch, Capabilities.PubSubBasic]),
            new("sqlite", "sqlite", "file://" + SqlitePath,
                [Capabilities.KeyValueBasic, Capabilities.KeyValueTtl, Capabilities.KeyValueBatch]),
            new("redis", "redis", ConnectionStrings.DisplayRedis(RedisConfiguration),
                [Capabilities.KeyValueBasic, Capabilities.KeyValueTtl, Capabilities.KeyValueBatch]),
            new("postgres", "postgres", ConnectionStrings.DisplayPostgres(PostgresConnectionString),
                [Capabilities.KeyValueBasic, Capabilities.KeyValueTtl, Capabilities.KeyValueBatch, Capabilities.PubSubBasic]),
            new("nats", "nats", ConnectionStrings.DisplayUrl(NatsUrl),
                [Capabilities.PubSubBasic, Capabilities.PubSubDurable]),
        ];
    }

    /// <summary>Every backend, in a stable order.</summary>
    public IReadOnlyList<BackendDefinition> All { get; }

    /// <summary>StackExchange.Redis configuration string.</summary>
    public string RedisConfiguration { get; }

    /// <summary>Npgsql connection string.</summary>
    public string PostgresConnectionString { get; }

    /// <summary>NATS server URL.</summary>
    public string NatsUrl { get; }

    /// <summary>SQLite key-value file.</summary>
    public string SqlitePath { get; }

    /// <summary>How long a health check may take.</summary>
    public TimeSpan HealthTimeout { get; }

    /// <summary>Tuning shared by the drivers.</summary>
    public BackendDriverOptions DriverOptions { get; }

    /// <summary>The backend called <paramref name="name"/>, or null.</summary>
    public BackendDefinition? Find(string name) => All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));

    private static int Positive(IConfiguration configuration, Setting setting) =>
        int.TryParse(Value(configuration, setting), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{setting.Display} must be a positive whole number.");

    private static string Value(IConfiguration configuration, Setting setting) =>
        configuration[setting.Key] is { Length: > 0 } value ? value : setting.DefaultValue!;
}
