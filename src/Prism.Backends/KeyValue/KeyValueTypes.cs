namespace Prism.Backends.KeyValue;

/// <summary>Result of reading a key.</summary>
/// <param name="Found">False when the key is missing or expired.</param>
/// <param name="Value">The stored bytes (empty when not found).</param>
public readonly record struct KeyValueLookup(bool Found, ReadOnlyMemory<byte> Value)
{
    /// <summary>A key that is not there.</summary>
    public static KeyValueLookup Missing => default;

    /// <summary>A key holding <paramref name="value"/>.</summary>
    public static KeyValueLookup Of(ReadOnlyMemory<byte> value) => new(true, value);
}

/// <summary>One item of a batch set.</summary>
public sealed record KeyValueWrite(string Key, ReadOnlyMemory<byte> Value, IReadOnlyDictionary<string, string>? Tags = null);

/// <summary>Per-item result of a batch write or delete.</summary>
/// <param name="Success">True when the item was applied.</param>
/// <param name="Error">Why not, when <paramref name="Success"/> is false.</param>
public readonly record struct KeyValueResult(bool Success, string? Error = null)
{
    /// <summary>The item was applied.</summary>
    public static KeyValueResult Ok => new(true);
}

/// <summary>Special answers of <see cref="IKeyValueStore.GetTtlAsync"/>, as in Redis TTL.</summary>
public static class KeyValueTtl
{
    /// <summary>The key exists and never expires.</summary>
    public const long NoExpiry = -1;

    /// <summary>The key does not exist.</summary>
    public const long Missing = -2;

    /// <summary>Whole seconds left, rounded up so a live key never reports 0.</summary>
    public static long Seconds(TimeSpan remaining) => Math.Max(1, (long)Math.Ceiling(remaining.TotalSeconds));
}
