using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Prism.Backends.Drivers.Memstore;
using Prism.Backends.Drivers.Nats;
using Prism.Backends.Drivers.Postgres;
using Prism.Backends.Drivers.Redis;
using Prism.Backends.Drivers.Sqlite;
using Prism.Backends.KeyValue;
using Prism.Backends.PubSub;

namespace Prism.Backends;

/// <summary>
/// The drivers of this process, one per (backend, pattern), created on first use on the pooled
/// clients of <see cref="BackendConnections"/> and shared by every namespace bound to that backend.
/// </summary>
public sealed class BackendDrivers(BackendConnections connections, TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Backend, string Pattern), Lazy<object?>> _drivers = new();

    /// <summary>The catalog the drivers are made from.</summary>
    public BackendCatalog Catalog => connections.Catalog;

    /// <summary>The key-value driver of <paramref name="backendName"/>, or null when it has none (UNIMPLEMENTED).</summary>
    /// <exception cref="ArgumentException">No backend has that name.</exception>
    public IKeyValueStore? KeyValue(string backendName) => (IKeyValueStore?)Get(backendName, Patterns.KeyValue);

    /// <summary>The pub/sub driver of <paramref name="backendName"/>, or null when it has none (UNIMPLEMENTED).</summary>
    /// <exception cref="ArgumentException">No backend has that name.</exception>
    public IPubSub? PubSub(string backendName) => (IPubSub?)Get(backendName, Patterns.PubSub);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var driver in _drivers.Values.Where(d => d.IsValueCreated).Select(d => d.Value))
        {
            if (driver is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    private object? Get(string backendName, string pattern)
    {
        var backend = Catalog.Find(backendName) ?? throw new ArgumentException($"unknown backend '{backendName}'", nameof(backendName));
        return _drivers.GetOrAdd((backend.Name, pattern), _ => new Lazy<object?>(() => backend.Supports(pattern) ? Create(backend, pattern) : null)).Value;
    }

    private object? Create(BackendDefinition backend, string pattern)
    {
        var options = Catalog.DriverOptions;
        return (backend.Type, pattern) switch
        {
            ("memstore", Patterns.KeyValue) => new MemoryKeyValueStore(time, options, loggers.CreateLogger<MemoryKeyValueStore>()),
            ("memstore", Patterns.PubSub) => new MemoryPubSub(time, options, loggers.CreateLogger<MemoryPubSub>()),
            ("sqlite", Patterns.KeyValue) => new SqliteKeyValueStore(connections.SqliteConnectionString, time, options, loggers.CreateLogger<SqliteKeyValueStore>()),
            ("redis", Patterns.KeyValue) => new RedisKeyValueStore(async () => await connections.RedisAsync(), loggers.CreateLogger<RedisKeyValueStore>()),
            ("postgres", Patterns.KeyValue) => new PostgresKeyValueStore(connections.Postgres, time, options, loggers.CreateLogger<PostgresKeyValueStore>()),
            ("postgres", Patterns.PubSub) => new PostgresPubSub(connections.Postgres, time, options, loggers.CreateLogger<PostgresPubSub>()),
            ("nats", Patterns.PubSub) => new NatsPubSub(connections.Nats, time, options, loggers.CreateLogger<NatsPubSub>()),
            _ => null,
        };
    }
}
