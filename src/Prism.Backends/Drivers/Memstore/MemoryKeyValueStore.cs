using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Backends.KeyValue;

namespace Prism.Backends.Drivers.Memstore;

/// <summary>
/// The embedded key-value backend: a concurrent dictionary keyed by (namespace, key), so
/// namespaces cannot collide. Values are copied on write. Expiry follows <see cref="TimeProvider"/>:
/// expired entries are invisible to reads and removed by a periodic purge.
/// </summary>
public sealed class MemoryKeyValueStore : IKeyValueStore, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Namespace, string Key), Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly PeriodicPurge _purge;

    /// <summary>Creates an empty store.</summary>
    public MemoryKeyValueStore(TimeProvider time, BackendDriverOptions options, ILogger<MemoryKeyValueStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _purge = new PeriodicPurge(time, options.PurgeInterval, BackendName, _ => Task.FromResult(Purge()), logger ?? NullLogger<MemoryKeyValueStore>.Instance);
    }

    /// <inheritdoc />
    public string BackendName => "memstore";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.KeyValueBasic, Backends.Capabilities.KeyValueTtl, Backends.Capabilities.KeyValueBatch,
    };

    /// <summary>Entries held, including expired ones not purged yet.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public Task SetAsync(string @namespace, string key, ReadOnlyMemory<byte> value, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellation)
    {
        _entries[(@namespace, key)] = new Entry(value.ToArray(), null);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<KeyValueLookup> GetAsync(string @namespace, string key, CancellationToken cancellation) =>
        Task.FromResult(Live(@namespace, key) is { } entry ? KeyValueLookup.Of(entry.Value) : KeyValueLookup.Missing);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string @namespace, string key, CancellationToken cancellation)
    {
        var existed = _entries.TryRemove((@namespace, key), out var entry) && IsLive(entry);
        return Task.FromResult(existed);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string @namespace, string key, CancellationToken cancellation) =>
        Task.FromResult(Live(@namespace, key) is not null);

    /// <inheritdoc />
    public Task<bool> ExpireAsync(string @namespace, string key, TimeSpan ttl, CancellationToken cancellation)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return DeleteAsync(@namespace, key, cancellation);
        }

        var expiresAt = _time.GetUtcNow() + ttl;
        return Task.FromResult(Update(@namespace, key, entry => entry with { ExpiresAt = expiresAt }) is not null);
    }

    /// <inheritdoc />
    public Task<long> GetTtlAsync(string @namespace, string key, CancellationToken cancellation) =>
        Task.FromResult(Live(@namespace, key) switch
        {
            null => KeyValueTtl.Missing,
            { ExpiresAt: null } => KeyValueTtl.NoExpiry,
            { ExpiresAt: { } at } => KeyValueTtl.Seconds(at - _time.GetUtcNow()),
        });

    /// <inheritdoc />
    public Task<bool> PersistAsync(string @namespace, string key, CancellationToken cancellation) =>
        Task.FromResult(Update(@namespace, key, entry => entry.ExpiresAt is null ? null : entry with { ExpiresAt = null }) is not null);

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyValueResult>> BatchSetAsync(string @namespace, IReadOnlyList<KeyValueWrite> items, CancellationToken cancellation)
    {
        var results = new KeyValueResult[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            await SetAsync(@namespace, items[i].Key, items[i].Value, items[i].Tags, cancellation);
            results[i] = KeyValueResult.Ok;
        }

        return results;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueLookup>> BatchGetAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<KeyValueLookup>>(
            [.. keys.Select(k => Live(@namespace, k) is { } entry ? KeyValueLookup.Of(entry.Value) : KeyValueLookup.Missing)]);

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueResult>> BatchDeleteAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation)
    {
        foreach (var key in keys)
        {
            _entries.TryRemove((@namespace, key), out _);
        }

        return Task.FromResult<IReadOnlyList<KeyValueResult>>([.. keys.Select(_ => KeyValueResult.Ok)]);
    }

    /// <summary>Removes expired entries now; returns how many.</summary>
    public int Purge()
    {
        var removed = 0;
        foreach (var pair in _entries)
        {
            if (!IsLive(pair.Value) && _entries.TryRemove(pair))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _purge.DisposeAsync();

    private Entry? Live(string @namespace, string key) =>
        _entries.TryGetValue((@namespace, key), out var entry) && IsLive(entry) ? entry : null;

    private bool IsLive(Entry entry) => entry.ExpiresAt is not { } at || at > _time.GetUtcNow();

    /// <summary>Atomically replaces a live entry with <paramref name="change"/>'s result (null: leave it); returns the new entry.</summary>
    private Entry? Update(string @namespace, string key, Func<Entry, Entry?> change)
    {
        while (true)
        {
            if (Live(@namespace, key) is not { } current)
            {
                return null;
            }

            if (change(current) is not { } next)
            {
                return null;
            }

            if (_entries.TryUpdate((@namespace, key), next, current))
            {
                return next;
            }
        }
    }

    private sealed record Entry(byte[] Value, DateTimeOffset? ExpiresAt);
}
