using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using StackExchange.Redis;
using static Prism.Backends.Drivers.Redis.RedisQueueEntries;

using Prism.Backends.Health;

namespace Prism.Backends.Drivers.Redis;

/// <summary>
/// Queues on Redis Streams: XADD to enqueue, a Redis consumer group per queue group, XREADGROUP for new
/// messages, XAUTOCLAIM for those idle past the visibility timeout, XACK to acknowledge, a second stream
/// for dead letters (keys in <see cref="RedisQueueEntries"/>). Members poll every
/// <see cref="BackendDriverOptions.QueuePollInterval"/> (blocking reads would stall the shared
/// multiplexer). First deliveries follow stream order, which is enqueue order. An idempotency key is a
/// string set only if absent, in one transaction with the XADD, expiring after exactly
/// <see cref="BackendDriverOptions.QueueDedupWindow"/>. Entries older than
/// <see cref="BackendDriverOptions.QueueRetention"/> are trimmed (approximately) on enqueue. Messages are
/// as durable as the server's persistence (AOF with fsync for acknowledged enqueues to survive a crash).
/// </summary>
public sealed class RedisQueue(Func<Task<IConnectionMultiplexer>> redis, TimeProvider time, BackendDriverOptions driverOptions, ILogger<RedisQueue>? logger = null)
    : IQueue, IAsyncDisposable
{
    private readonly OutageLog _outage = new(logger ?? (ILogger)NullLogger<RedisQueue>.Instance, "redis");
    private readonly ActiveConsumers _consumers = new();

    /// <inheritdoc />
    public string BackendName => "redis";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.QueueBasic, Backends.Capabilities.QueueDeadLetter, Backends.Capabilities.QueueDurable,
    };

    internal TimeProvider Time => time;

    internal TimeSpan PollInterval => driverOptions.QueuePollInterval;

    internal TimeSpan OutageWindow => driverOptions.QueueOutageWindow;

    /// <inheritdoc />
    public Task<string> EnqueueAsync(string @namespace, string queue, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, string? idempotencyKey, CancellationToken cancellation) =>
        RunAsync(async db =>
        {
            var id = SubscribeOptions.NewMessageId(time);
            var stream = Messages(@namespace, queue);
            var fields = Write(id, payload, metadata, context, SubscribeOptions.NowMs(time));
            // The add trims entries past the retention (approximately: whole radix-tree nodes) in the same command.
            var oldest = $"{Math.Max(SubscribeOptions.NowMs(time) - (long)driverOptions.QueueRetention.TotalMilliseconds, 0)}-0";
            if (idempotencyKey is null)
            {
                await db.StreamAddAsync(stream, fields, new StreamAddOptions { MinId = oldest, Approximate = true });
            }
            else if (await AddOnceAsync(db, stream, fields, id, oldest, IdempotencyKey(@namespace, queue, idempotencyKey)) is { } first)
            {
                return first;
            }

            return id;
        }, cancellation);

    /// <inheritdoc />
    public Task<IQueueConsumer> ConsumeAsync(string @namespace, string queue, string group, string consumerId, ConsumeOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return RunAsync<IQueueConsumer>(async db =>
        {
            var stream = Messages(@namespace, queue);
            try
            {
                // From the first retained entry, so what was enqueued before the group existed is delivered.
                await db.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.Beginning, createStream: true);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                // The group exists: join it.
            }

            var consumer = new RedisQueueConsumer(this, @namespace, queue, group, consumerId, options, _consumers.Remove);
            _consumers.Add(consumer);
            consumer.Start();
            return consumer;
        }, cancellation);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string @namespace, string queue, string? after, int limit, CancellationToken cancellation) =>
        limit <= 0 || (after is not null && !IsEntryId(after))
            ? Task.FromResult<IReadOnlyList<DeadLetter>>([])
            : RunAsync<IReadOnlyList<DeadLetter>>(async db =>
            {
                var entries = await db.StreamRangeAsync(DeadLetters(@namespace, queue), after is null ? "-" : "(" + after, "+", limit);
                return [.. entries.Select(e => DeadLetter(queue, e))];
            }, cancellation);

    /// <inheritdoc />
    public Task<DeadLetter?> GetDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation) =>
        !IsEntryId(deadLetterId)
            ? Task.FromResult<DeadLetter?>(null)
            : RunAsync(async db =>
            {
                var entries = await db.StreamRangeAsync(DeadLetters(@namespace, queue), deadLetterId, deadLetterId, 1);
                return entries.Length == 0 ? null : DeadLetter(queue, entries[0]);
            }, cancellation);

    /// <inheritdoc />
    public Task<string?> ReplayDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation) =>
        !IsEntryId(deadLetterId)
            ? Task.FromResult<string?>(null)
            : RunAsync(async db =>
            {
                var dead = DeadLetters(@namespace, queue);
                var entries = await db.StreamRangeAsync(dead, deadLetterId, deadLetterId, 1);
                if (entries.Length == 0)
                {
                    return null;
                }

                var letter = DeadLetter(queue, entries[0]);
                var id = SubscribeOptions.NewMessageId(time);
                var replay = db.CreateTransaction();
                _ = replay.StreamAddAsync(Messages(@namespace, queue), Write(id, letter.Payload, letter.Metadata, letter.Context, SubscribeOptions.NowMs(time)));
                var deleted = replay.StreamDeleteAsync(dead, [deadLetterId]);
                await replay.ExecuteAsync();
                return await deleted == 1 ? id : null;
            }, cancellation);

    /// <inheritdoc />
    public Task<long> PurgeDeadLettersAsync(string @namespace, string queue, CancellationToken cancellation) =>
        RunAsync(async db =>
        {
            var dead = DeadLetters(@namespace, queue);
            var purge = db.CreateTransaction();
            var count = purge.StreamLengthAsync(dead);
            _ = purge.KeyDeleteAsync(dead);
            await purge.ExecuteAsync();
            return await count;
        }, cancellation);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _consumers.CloseAllAsync();

    /// <summary>Runs <paramref name="operation"/> on the database, turning unavailability into <see cref="BackendUnavailableException"/>.</summary>
    internal async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellation)
    {
        IConnectionMultiplexer? multiplexer = null;
        try
        {
            multiplexer = await redis().WaitAsync(cancellation);
            var db = multiplexer.GetDatabase();
            // On a cluster, a transaction on a slot being moved is discarded (EXECABORT) and runs again once the move is over.
            var result = await RedisSlots.TryAgainAsync(() => operation(db), RedisSlots.IsCluster(multiplexer)).WaitAsync(cancellation);
            _outage.Succeeded();
            return result;
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw _outage.Failed(RedisFailures.Unavailable(e, multiplexer));
        }
    }

    /// <summary>
    /// Adds the entry unless <paramref name="key"/> names an earlier one; returns that earlier message's id,
    /// or null when this entry was added. One script, so the check, the add and the key are one step for
    /// the server (the two keys share the queue's hash tag, hence one slot on a cluster).
    /// </summary>
    private async Task<string?> AddOnceAsync(IDatabase db, RedisKey stream, NameValueEntry[] fields, string id, string oldest, RedisKey key)
    {
        var arguments = new RedisValue[3 + (fields.Length * 2)];
        arguments[0] = id;
        arguments[1] = (long)driverOptions.QueueDedupWindow.TotalMilliseconds;
        arguments[2] = oldest;
        for (var i = 0; i < fields.Length; i++)
        {
            arguments[3 + (2 * i)] = fields[i].Name;
            arguments[4 + (2 * i)] = fields[i].Value;
        }

        var first = await db.ScriptEvaluateAsync(AddOnceScript, [key, stream], arguments);
        return first.IsNull ? null : (string?)first;
    }

    private const string AddOnceScript = """
        local first = redis.call('GET', KEYS[1])
        if first then
          return first
        end
        redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[3], '*', unpack(ARGV, 4))
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return false
        """;
}
