using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Backends.Health;
using Prism.Backends.KeyValue;
using StackExchange.Redis;

namespace Prism.Backends.Drivers.Redis;

/// <summary>
/// Key-value on Redis strings: SET/GET/DEL/EXISTS/PEXPIRE/PTTL/PERSIST, batches as MSET/MGET/DEL (on Redis
/// Cluster one per hash slot of the batch's keys, see <see cref="RedisSlots"/>).
/// A key is stored as <c>prism:{length of namespace}:{namespace}:{key}</c>; the length prefix
/// makes the mapping injective, so a crafted key cannot reach another namespace.
/// </summary>
public sealed class RedisKeyValueStore(Func<Task<IConnectionMultiplexer>> redis, ILogger<RedisKeyValueStore>? logger = null) : IKeyValueStore
{
    private readonly OutageLog _outage = new(logger ?? (ILogger)NullLogger<RedisKeyValueStore>.Instance, "redis");

    /// <inheritdoc />
    public string BackendName => "redis";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.KeyValueBasic, Backends.Capabilities.KeyValueTtl, Backends.Capabilities.KeyValueBatch,
    };

    /// <summary>The Redis key that holds <paramref name="key"/> of <paramref name="namespace"/>.</summary>
    public static RedisKey KeyOf(string @namespace, string key) => KeyPrefix(@namespace) + key;

    /// <summary>What every Redis key of <paramref name="namespace"/> starts with; the length keeps <c>a:b</c> + <c>c</c> apart from <c>a</c> + <c>b:c</c>.</summary>
    public static string KeyPrefix(string @namespace) =>
        string.Create(CultureInfo.InvariantCulture, $"prism:{@namespace.Length}:{@namespace}:");

    /// <inheritdoc />
    public Task SetAsync(string @namespace, string key, ReadOnlyMemory<byte> value, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellation) =>
        RunAsync(db => db.StringSetAsync(KeyOf(@namespace, key), value), cancellation);

    /// <inheritdoc />
    public Task<KeyValueLookup> GetAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(async db => Lookup(await db.StringGetAsync(KeyOf(@namespace, key))), cancellation);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(db => db.KeyDeleteAsync(KeyOf(@namespace, key)), cancellation);

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(db => db.KeyExistsAsync(KeyOf(@namespace, key)), cancellation);

    /// <inheritdoc />
    public Task<bool> ExpireAsync(string @namespace, string key, TimeSpan ttl, CancellationToken cancellation) =>
        ttl <= TimeSpan.Zero
            ? DeleteAsync(@namespace, key, cancellation)
            : RunAsync(db => db.KeyExpireAsync(KeyOf(@namespace, key), ttl), cancellation);

    /// <inheritdoc />
    public Task<long> GetTtlAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(async db =>
        {
            var ms = (long)await db.ExecuteAsync("PTTL", KeyOf(@namespace, key));
            return ms < 0 ? ms : KeyValueTtl.Seconds(TimeSpan.FromMilliseconds(ms));
        }, cancellation);

    /// <inheritdoc />
    public Task<bool> PersistAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(db => db.KeyPersistAsync(KeyOf(@namespace, key)), cancellation);

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueResult>> BatchSetAsync(string @namespace, IReadOnlyList<KeyValueWrite> items, CancellationToken cancellation) =>
        RunAsync<IReadOnlyList<KeyValueResult>>(async db =>
        {
            // One MSET per hash slot (one in all on a single server), each atomic; a key repeated in the batch ends with its last value.
            var pairs = items.Select(i => new KeyValuePair<RedisKey, RedisValue>(KeyOf(@namespace, i.Key), i.Value)).ToArray();
            await Task.WhenAll(RedisSlots.Groups(db.Multiplexer, pairs.Length, i => pairs[i].Key)
                .Select(group => RedisSlots.TryAgainAsync(() => db.StringSetAsync([.. group.Select(i => pairs[i])]))));
            return [.. items.Select(_ => KeyValueResult.Ok)];
        }, cancellation);

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueLookup>> BatchGetAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation) =>
        RunAsync<IReadOnlyList<KeyValueLookup>>(async db =>
        {
            var redisKeys = keys.Select(k => KeyOf(@namespace, k)).ToArray();
            var values = new RedisValue[redisKeys.Length];
            await Task.WhenAll(RedisSlots.Groups(db.Multiplexer, redisKeys.Length, i => redisKeys[i]).Select(async group =>
            {
                var got = await RedisSlots.TryAgainAsync(() => db.StringGetAsync([.. group.Select(i => redisKeys[i])]));
                for (var j = 0; j < group.Length; j++)
                {
                    values[group[j]] = got[j];
                }
            }));
            return [.. values.Select(Lookup)];
        }, cancellation);

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueResult>> BatchDeleteAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation) =>
        RunAsync<IReadOnlyList<KeyValueResult>>(async db =>
        {
            var redisKeys = keys.Select(k => KeyOf(@namespace, k)).ToArray();
            await Task.WhenAll(RedisSlots.Groups(db.Multiplexer, redisKeys.Length, i => redisKeys[i])
                .Select(group => RedisSlots.TryAgainAsync(() => db.KeyDeleteAsync([.. group.Select(i => redisKeys[i])]))));
            return [.. keys.Select(_ => KeyValueResult.Ok)];
        }, cancellation);

    private static KeyValueLookup Lookup(RedisValue value) => value.IsNull ? KeyValueLookup.Missing : KeyValueLookup.Of((byte[])value!);

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellation)
    {
        IConnectionMultiplexer? multiplexer = null;
        try
        {
            multiplexer = await redis().WaitAsync(cancellation);
            var result = await operation(multiplexer.GetDatabase()).WaitAsync(cancellation);
            _outage.Succeeded();
            return result;
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw _outage.Failed(RedisFailures.Unavailable(e, multiplexer));
        }
    }

    private async Task RunAsync(Func<IDatabase, Task> operation, CancellationToken cancellation) =>
        await RunAsync(async db =>
        {
            await operation(db);
            return true;
        }, cancellation);
}
