using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Backends.KeyValue;

namespace Prism.Backends.Drivers.Memstore;

/// <summary>
/// The embedded key-value backend: a concurrent dictionary keyed by (namespace, key), so
/// namespaces cannot collide. Values are copied on write. Expiry follows <see cref="TimeProvider"/>:
/// expired entries are invisible to reads and removed by a periodic purge. Writes stay within
/// <see cref="BackendDriverOptions.MemstoreKeyValueBytes"/>: a write past it (after purging expired entries)
/// is refused with <see cref="BackendFullException"/>.
/// </summary>
public sealed class MemoryKeyValueStore : IKeyValueStore, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Namespace, string Key), Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly PeriodicPurge _purge;
    private readonly long _limit;

    // Adding, replacing and removing entries take it, so that _used follows _entries; reads and expiry changes do not.
    private readonly Lock _writes = new();
    private long _used;
    private DateTimeOffset _lastFullPurge = DateTimeOffset.MinValue;

    /// <summary>Creates an empty store.</summary>
    public MemoryKeyValueStore(TimeProvider time, BackendDriverOptions options, ILogger<MemoryKeyValueStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _limit = options.MemstoreKeyValueBytes;
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
        var size = SizeOf(@namespace, key, value.Length);
        var entry = new Entry(value.ToArray(), null);
        lock (_writes)
        {
            if (!Fits(@namespace, key, size) && (!PurgeWhenFull() || !Fits(@namespace, key, size)))
            {
                throw new BackendFullException($"memstore key-value store is full: it holds {_limit / (1024 * 1024)} MB of keys and values "
                    + $"({MemstoreBackendType.KeyValueMemorySetting.Display}); delete keys or give them a TTL, "
                    + "or bind the namespace's store slot to a backend on disk");
            }

            var replaced = SizeHeld(@namespace, key);
            _entries[(@namespace, key)] = entry;
            _used += size - replaced;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<KeyValueLookup> GetAsync(string @namespace, string key, CancellationToken cancellation) =>
        Task.FromResult(Live(@namespace, key) is { } entry ? KeyValueLookup.Of(entry.Value) : KeyValueLookup.Missing);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string @namespace, string key, CancellationToken cancellation) => Task.FromResult(Remove(@namespace, key) is { } entry && IsLive(entry));

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
            Remove(@namespace, key);
        }

        return Task.FromResult<IReadOnlyList<KeyValueResult>>([.. keys.Select(_ => KeyValueResult.Ok)]);
    }

    /// <summary>Removes expired entries now; returns how many.</summary>
    public int Purge()
    {
        lock (_writes)
        {
            return PurgeExpired();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _purge.DisposeAsync();

    /// <summary>What an entry is counted as against the limit: its key and value, and a fixed share for the rest.</summary>
    private static long SizeOf(string @namespace, string key, int valueLength) => valueLength + 2L * (@namespace.Length + key.Length) + 128;

    private bool Fits(string @namespace, string key, long size) => _used - SizeHeld(@namespace, key) + size <= _limit;

    private long SizeHeld(string @namespace, string key) => _entries.TryGetValue((@namespace, key), out var held) ? SizeOf(@namespace, key, held.Value.Length) : 0;

    /// <summary>Purges expired entries to make room, at most once a second (a full store refusing writes is not scanned for each); whether any went.</summary>
    private bool PurgeWhenFull()
    {
        var now = _time.GetUtcNow();
        if (now - _lastFullPurge < TimeSpan.FromSeconds(1))
        {
            return false;
        }

        _lastFullPurge = now;
        return PurgeExpired() > 0;
    }

    private int PurgeExpired()
    {
        var removed = 0;
        foreach (var pair in _entries)
        {
            if (!IsLive(pair.Value) && _entries.TryRemove(pair))
            {
                _used -= SizeOf(pair.Key.Namespace, pair.Key.Key, pair.Value.Value.Length);
                removed++;
            }
        }

        return removed;
    }

    private Entry? Remove(string @namespace, string key)
    {
        lock (_writes)
        {
            if (!_entries.TryRemove((@namespace, key), out var entry))
            {
                return null;
            }

            _used -= SizeOf(@namespace, key, entry.Value.Length);
            return entry;
        }
    }

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
