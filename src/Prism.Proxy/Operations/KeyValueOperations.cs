using Prism.Backends;
using Prism.Backends.KeyValue;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>
/// Key-value calls of the data plane, free of gRPC: route, check limits, call the namespace's driver
/// and count the call on its session. Refusals are <see cref="DataPlaneException"/>s.
/// </summary>
internal sealed class KeyValueOperations(DataPlaneRouter router, RequestLimits limits, TimeProvider time)
{
    // A century: longer times to live are stored as this.
    private const long MaxTtlSeconds = 100L * 365 * 24 * 3600;

    /// <summary>Stores a value (removing any expiry).</summary>
    public async Task SetAsync(DataPlaneCaller caller, string key, ReadOnlyMemory<byte> value, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellation)
    {
        var (route, store) = await OpenAsync(caller, Capabilities.KeyValueBasic, cancellation);
        limits.CheckKey(key);
        limits.CheckValue(value.Length, route.Namespace);
        await CallAsync(route, "keyvalue.set", key.Length + value.Length, async () =>
        {
            await store.SetAsync(route.Namespace.Name, key, value, tags, cancellation);
            return true;
        });
    }

    /// <summary>Reads a value; a missing key is <see cref="KeyValueLookup.Missing"/>.</summary>
    public async Task<KeyValueLookup> GetAsync(DataPlaneCaller caller, string key, CancellationToken cancellation)
    {
        var (route, store) = await OpenAsync(caller, Capabilities.KeyValueBasic, cancellation);
        limits.CheckKey(key);
        return await CallAsync(route, "keyvalue.get", key.Length,
            () => store.GetAsync(route.Namespace.Name, key, cancellation), lookup => lookup.Value.Length);
    }

    /// <summary>Deletes a key; true when it existed (a missing key is not an error).</summary>
    public Task<bool> DeleteAsync(DataPlaneCaller caller, string key, CancellationToken cancellation) =>
        KeyCallAsync(caller, Capabilities.KeyValueBasic, "keyvalue.delete", key, (ns, store) => store.DeleteAsync(ns, key, cancellation), cancellation);

    /// <summary>True when the key holds a live value.</summary>
    public Task<bool> ExistsAsync(DataPlaneCaller caller, string key, CancellationToken cancellation) =>
        KeyCallAsync(caller, Capabilities.KeyValueBasic, "keyvalue.exists", key, (ns, store) => store.ExistsAsync(ns, key, cancellation), cancellation);

    /// <summary>Sets a time to live (0 or less deletes the key); true when the key existed.</summary>
    public Task<bool> ExpireAsync(DataPlaneCaller caller, string key, long ttlSeconds, CancellationToken cancellation)
    {
        var ttl = TimeSpan.FromSeconds(Math.Clamp(ttlSeconds, -1, MaxTtlSeconds));
        return KeyCallAsync(caller, Capabilities.KeyValueTtl, "keyvalue.expire", key, (ns, store) => store.ExpireAsync(ns, key, ttl, cancellation), cancellation);
    }

    /// <summary>Seconds left, -1 without expiry, -2 for a missing key.</summary>
    public Task<long> GetTtlAsync(DataPlaneCaller caller, string key, CancellationToken cancellation) =>
        KeyCallAsync(caller, Capabilities.KeyValueTtl, "keyvalue.getttl", key, (ns, store) => store.GetTtlAsync(ns, key, cancellation), cancellation);

    /// <summary>Removes an expiry; true when there was one.</summary>
    public Task<bool> PersistAsync(DataPlaneCaller caller, string key, CancellationToken cancellation) =>
        KeyCallAsync(caller, Capabilities.KeyValueTtl, "keyvalue.persist", key, (ns, store) => store.PersistAsync(ns, key, cancellation), cancellation);

    /// <summary>Stores every item; one result per item, in order.</summary>
    public async Task<IReadOnlyList<KeyValueResult>> BatchSetAsync(DataPlaneCaller caller, IReadOnlyList<KeyValueWrite> items, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(items);
        var (route, store) = await OpenAsync(caller, Capabilities.KeyValueBatch, cancellation);
        limits.CheckBatch(items.Count);
        long bytes = 0;
        for (var i = 0; i < items.Count; i++)
        {
            limits.CheckKey(items[i].Key, $"requests[{i}].key");
            limits.CheckValue(items[i].Value.Length, route.Namespace, $"requests[{i}].value");
            bytes += items[i].Key.Length + items[i].Value.Length;
        }

        return await CallAsync(route, "keyvalue.batchset", bytes, () => store.BatchSetAsync(route.Namespace.Name, items, cancellation));
    }

    /// <summary>Reads every key; one lookup per key, in order.</summary>
    public async Task<IReadOnlyList<KeyValueLookup>> BatchGetAsync(DataPlaneCaller caller, IReadOnlyList<string> keys, CancellationToken cancellation)
    {
        var (route, store) = await OpenAsync(caller, Capabilities.KeyValueBatch, cancellation);
        return await CallAsync(route, "keyvalue.batchget", CheckKeys(keys),
            () => store.BatchGetAsync(route.Namespace.Name, keys, cancellation), lookups => lookups.Sum(l => (long)l.Value.Length));
    }

    /// <summary>Deletes every key; one result per key, in order.</summary>
    public async Task<IReadOnlyList<KeyValueResult>> BatchDeleteAsync(DataPlaneCaller caller, IReadOnlyList<string> keys, CancellationToken cancellation)
    {
        var (route, store) = await OpenAsync(caller, Capabilities.KeyValueBatch, cancellation);
        return await CallAsync(route, "keyvalue.batchdelete", CheckKeys(keys), () => store.BatchDeleteAsync(route.Namespace.Name, keys, cancellation));
    }

    private long CheckKeys(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        limits.CheckBatch(keys.Count);
        long bytes = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            limits.CheckKey(keys[i], $"keys[{i}]");
            bytes += keys[i].Length;
        }

        return bytes;
    }

    private async Task<T> KeyCallAsync<T>(DataPlaneCaller caller, string capability, string operation, string key,
        Func<string, IKeyValueStore, Task<T>> call, CancellationToken cancellation)
    {
        var (route, store) = await OpenAsync(caller, capability, cancellation);
        limits.CheckKey(key);
        return await CallAsync(route, operation, key.Length, () => call(route.Namespace.Name, store));
    }

    private async ValueTask<(DataPlaneRoute Route, IKeyValueStore Store)> OpenAsync(DataPlaneCaller caller, string capability, CancellationToken cancellation)
    {
        var route = await router.RouteAsync(caller, Patterns.KeyValue, cancellation);
        var store = BackendCalls.Driver<IKeyValueStore>(route, Patterns.KeyValue);
        return store.Capabilities.Contains(capability) ? (route, store) : throw BackendCalls.MissingCapability(route.Backend.Name, capability);
    }

    /// <summary>Runs the driver call and counts it on the session, with the bytes sent back when it succeeds.</summary>
    private async Task<T> CallAsync<T>(DataPlaneRoute route, string operation, long bytesIn, Func<Task<T>> call, Func<T, long>? bytesOut = null)
    {
        long sent = 0;
        try
        {
            var result = await BackendCalls.RunAsync(operation, route, call);
            sent = bytesOut?.Invoke(result) ?? 0;
            return result;
        }
        finally
        {
            route.Session.Record(bytesIn, sent, time.GetUtcNow());
        }
    }
}
