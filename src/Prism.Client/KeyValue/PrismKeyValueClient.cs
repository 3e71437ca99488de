using Google.Protobuf;
using Prism.Interfaces.KeyValue;

namespace Prism.Client;

/// <summary>
/// Keys and values of a namespace (<c>KeyValueBasicInterface</c>, <c>KeyValueTTLInterface</c>,
/// <c>KeyValueBatchInterface</c>). Values are bytes; every call retries UNAVAILABLE (the
/// operations are idempotent).
/// </summary>
public sealed class PrismKeyValueClient
{
    private const string Basic = "prism.interfaces.keyvalue.KeyValueBasicInterface";
    private const string Ttl = "prism.interfaces.keyvalue.KeyValueTTLInterface";
    private const string Batch = "prism.interfaces.keyvalue.KeyValueBatchInterface";
    private readonly PrismConnection _connection;
    private readonly string? _namespace;
    private readonly KeyValueBasicInterface.KeyValueBasicInterfaceClient _basic;
    private readonly KeyValueTTLInterface.KeyValueTTLInterfaceClient _ttl;
    private readonly KeyValueBatchInterface.KeyValueBatchInterfaceClient _batch;

    /// <summary>A client of <paramref name="namespace"/> (default: the connection's).</summary>
    public PrismKeyValueClient(PrismConnection connection, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _namespace = @namespace;
        _basic = new(connection.Channel);
        _ttl = new(connection.Channel);
        _batch = new(connection.Channel);
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    public async Task SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellation = default)
    {
        var request = new SetRequest { Key = key, Value = ByteString.CopyFrom(value.Span) };
        var response = await _connection.UnaryAsync(Basic, "Set", _namespace, o => _basic.SetAsync(request, o), cancellation);
        Check(response.Error, "Set", key);
    }

    /// <summary>The value of <paramref name="key"/>, or null when there is none.</summary>
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellation = default)
    {
        var request = new GetRequest { Key = key };
        var response = await _connection.UnaryAsync(Basic, "Get", _namespace, o => _basic.GetAsync(request, o), cancellation);
        Check(response.Error, "Get", key);
        return response.Found ? response.Value.ToByteArray() : null;
    }

    /// <summary>Deletes <paramref name="key"/> (a missing key is no error).</summary>
    public async Task DeleteAsync(string key, CancellationToken cancellation = default)
    {
        var request = new DeleteRequest { Key = key };
        var response = await _connection.UnaryAsync(Basic, "Delete", _namespace, o => _basic.DeleteAsync(request, o), cancellation);
        Check(response.Error, "Delete", key);
    }

    /// <summary>Whether <paramref name="key"/> has a value.</summary>
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellation = default)
    {
        var request = new ExistsRequest { Key = key };
        var response = await _connection.UnaryAsync(Basic, "Exists", _namespace, o => _basic.ExistsAsync(request, o), cancellation);
        Check(response.Error, "Exists", key);
        return response.Exists;
    }

    /// <summary>Makes <paramref name="key"/> expire after <paramref name="ttl"/> (whole seconds); false when the key does not exist.</summary>
    public async Task<bool> ExpireAsync(string key, TimeSpan ttl, CancellationToken cancellation = default)
    {
        var request = new ExpireRequest { Key = key, TtlSeconds = (long)Math.Ceiling(ttl.TotalSeconds) };
        var response = await _connection.UnaryAsync(Ttl, "Expire", _namespace, o => _ttl.ExpireAsync(request, o), cancellation);
        Check(response.Error, "Expire", key);
        return response.KeyExisted;
    }

    /// <summary>Time left of <paramref name="key"/>: <see cref="KeyTtl.Missing"/>, <see cref="KeyTtl.NoExpiry"/> or the seconds left.</summary>
    public async Task<KeyTtl> GetTtlAsync(string key, CancellationToken cancellation = default)
    {
        var request = new GetTTLRequest { Key = key };
        var response = await _connection.UnaryAsync(Ttl, "GetTTL", _namespace, o => _ttl.GetTTLAsync(request, o), cancellation);
        Check(response.Error, "GetTTL", key);
        return new KeyTtl(response.TtlSeconds);
    }

    /// <summary>Removes the expiry of <paramref name="key"/>; false when it had none (or does not exist).</summary>
    public async Task<bool> PersistAsync(string key, CancellationToken cancellation = default)
    {
        var request = new PersistRequest { Key = key };
        var response = await _connection.UnaryAsync(Ttl, "Persist", _namespace, o => _ttl.PersistAsync(request, o), cancellation);
        Check(response.Error, "Persist", key);
        return response.ExpirationRemoved;
    }

    /// <summary>Stores every pair in one call.</summary>
    public async Task SetManyAsync(IEnumerable<KeyValuePair<string, byte[]>> items, CancellationToken cancellation = default)
    {
        var request = new BatchSetRequest();
        request.Requests.Add(items.Select(i => new SetRequest { Key = i.Key, Value = ByteString.CopyFrom(i.Value) }));
        var response = await _connection.UnaryAsync(Batch, "BatchSet", _namespace, o => _batch.BatchSetAsync(request, o), cancellation);
        foreach (var (result, item) in response.Results.Zip(request.Requests))
        {
            Check(result.Error, "BatchSet", item.Key);
        }
    }

    /// <summary>The values of <paramref name="keys"/> in order (null where there is none).</summary>
    public async Task<IReadOnlyList<byte[]?>> GetManyAsync(IEnumerable<string> keys, CancellationToken cancellation = default)
    {
        var request = new BatchGetRequest();
        request.Keys.Add(keys);
        var response = await _connection.UnaryAsync(Batch, "BatchGet", _namespace, o => _batch.BatchGetAsync(request, o), cancellation);
        return response.Results.Zip(request.Keys).Select(pair =>
        {
            Check(pair.First.Error, "BatchGet", pair.Second);
            return pair.First.Found ? pair.First.Value.ToByteArray() : null;
        }).ToList();
    }

    /// <summary>Deletes every key in one call.</summary>
    public async Task DeleteManyAsync(IEnumerable<string> keys, CancellationToken cancellation = default)
    {
        var request = new BatchDeleteRequest();
        request.Keys.Add(keys);
        var response = await _connection.UnaryAsync(Batch, "BatchDelete", _namespace, o => _batch.BatchDeleteAsync(request, o), cancellation);
        foreach (var (result, key) in response.Results.Zip(request.Keys))
        {
            Check(result.Error, "BatchDelete", key);
        }
    }

    private static void Check(string error, string method, string key)
    {
        if (!string.IsNullOrEmpty(error))
        {
            throw new PrismClientException($"{method} of key '{key}' failed: {error}");
        }
    }
}

/// <summary>What GetTTL answered: seconds left, no expiry (-1) or a missing key (-2).</summary>
public readonly record struct KeyTtl(long Seconds)
{
    /// <summary>The key does not exist.</summary>
    public bool Missing => Seconds == -2;

    /// <summary>The key exists and never expires.</summary>
    public bool NoExpiry => Seconds == -1;

    /// <summary>Time left, when the key expires.</summary>
    public TimeSpan? Remaining => Seconds >= 0 ? TimeSpan.FromSeconds(Seconds) : null;
}
