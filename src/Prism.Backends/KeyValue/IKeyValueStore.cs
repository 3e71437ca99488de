namespace Prism.Backends.KeyValue;

/// <summary>
/// A key-value driver, transport-neutral. Every call is scoped to a namespace: keys of one
/// namespace are never visible from another. Values are opaque bytes (empty allowed).
/// Failures to reach the backend throw <see cref="BackendUnavailableException"/>.
/// </summary>
/// <remarks>
/// <see cref="SetAsync"/> replaces the value and removes any expiry, as Redis SET does.
/// Tags are accepted for wire compatibility and are not stored by the built-in drivers.
/// </remarks>
public interface IKeyValueStore
{
    /// <summary>Name of the backend this driver talks to.</summary>
    string BackendName { get; }

    /// <summary>Capabilities from <see cref="Backends.Capabilities"/> this driver implements.</summary>
    IReadOnlySet<string> Capabilities { get; }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing any value and expiry.</summary>
    Task SetAsync(string @namespace, string key, ReadOnlyMemory<byte> value, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellation);

    /// <summary>The value of <paramref name="key"/>, or <see cref="KeyValueLookup.Missing"/>.</summary>
    Task<KeyValueLookup> GetAsync(string @namespace, string key, CancellationToken cancellation);

    /// <summary>Removes <paramref name="key"/>; true when it existed. Deleting a missing key is not an error.</summary>
    Task<bool> DeleteAsync(string @namespace, string key, CancellationToken cancellation);

    /// <summary>True when <paramref name="key"/> holds a live (unexpired) value.</summary>
    Task<bool> ExistsAsync(string @namespace, string key, CancellationToken cancellation);

    /// <summary>
    /// Makes <paramref name="key"/> expire after <paramref name="ttl"/>; returns whether the key existed.
    /// A ttl of zero or less deletes the key at once (Redis EXPIRE semantics).
    /// </summary>
    Task<bool> ExpireAsync(string @namespace, string key, TimeSpan ttl, CancellationToken cancellation);

    /// <summary>Remaining seconds to live, <see cref="KeyValueTtl.NoExpiry"/> (-1) or <see cref="KeyValueTtl.Missing"/> (-2).</summary>
    Task<long> GetTtlAsync(string @namespace, string key, CancellationToken cancellation);

    /// <summary>Removes the expiry of <paramref name="key"/>; true when it had one.</summary>
    Task<bool> PersistAsync(string @namespace, string key, CancellationToken cancellation);

    /// <summary>Stores every item; one result per item, in order.</summary>
    Task<IReadOnlyList<KeyValueResult>> BatchSetAsync(string @namespace, IReadOnlyList<KeyValueWrite> items, CancellationToken cancellation);

    /// <summary>Reads every key; one lookup per key, in order.</summary>
    Task<IReadOnlyList<KeyValueLookup>> BatchGetAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation);

    /// <summary>Deletes every key; one result per key, in order (a missing key succeeds).</summary>
    Task<IReadOnlyList<KeyValueResult>> BatchDeleteAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation);
}
