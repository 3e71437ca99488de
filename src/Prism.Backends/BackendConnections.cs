using Microsoft.Data.Sqlite;
using NATS.Client.Core;
using Npgsql;
using StackExchange.Redis;

namespace Prism.Backends;

/// <summary>
/// One pooled client per backend, created on first use and shared by the process. Clients
/// reconnect by themselves, so a backend that comes back is used again without a restart.
/// </summary>
public sealed class BackendConnections(BackendCatalog catalog) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _redis = new(() => ConnectRedisAsync(catalog));
    private readonly Lazy<NpgsqlDataSource> _postgres = new(() => NpgsqlDataSource.Create(catalog.PostgresConnectionString));
    private readonly Lazy<NatsConnection> _nats = new(() => new NatsConnection(new NatsOpts { Url = catalog.NatsUrl, Name = "prism" }));

    /// <summary>The catalog the connections are made from.</summary>
    public BackendCatalog Catalog => catalog;

    /// <summary>The shared Redis multiplexer.</summary>
    public Task<ConnectionMultiplexer> RedisAsync() => _redis.Value;

    /// <summary>The shared PostgreSQL data source (a connection pool).</summary>
    public NpgsqlDataSource Postgres => _postgres.Value;

    /// <summary>The shared NATS connection.</summary>
    public NatsConnection Nats => _nats.Value;

    /// <summary>A new connection string for the SQLite key-value file (pooled by Microsoft.Data.Sqlite).</summary>
    public string SqliteConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = catalog.SqlitePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
    }.ToString();

    private static async Task<ConnectionMultiplexer> ConnectRedisAsync(BackendCatalog catalog)
    {
        var options = ConfigurationOptions.Parse(catalog.RedisConfiguration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = (int)catalog.HealthTimeout.TotalMilliseconds;
        options.ClientName = "prism";
        // Fail at once while disconnected (the proxy answers UNAVAILABLE) instead of queueing until a timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_redis.IsValueCreated)
        {
            await (await _redis.Value).DisposeAsync();
        }

        if (_postgres.IsValueCreated)
        {
            await _postgres.Value.DisposeAsync();
        }

        if (_nats.IsValueCreated)
        {
            await _nats.Value.DisposeAsync();
        }
    }
}
