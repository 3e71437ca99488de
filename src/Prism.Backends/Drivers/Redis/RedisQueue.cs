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
        MessageContext? context, string? idempotencyKey, CancellationToken cancellation)
    {
        if (idempotencyKey is not null)
        {
            return RunAsync(async db => (await AddAsync(db, @namespace, queue, [new QueueEntry(payload, metadata, context, idempotencyKey)]))[0], cancellation);
        }

        return RunAsync(async db =>
        {
            var id = SubscribeOptions.NewMessageId(time);
            await db.StreamAddAsync(Messages(@namespace, queue), Write(id, payload, metadata, context, SubscribeOptions.NowMs(time)),
                new StreamAddOptions { MinId = OldestRetained(), Approximate = true });
            return id;
        }, cancellation);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> EnqueueBatchAsync(string @namespace, string queue, IReadOnlyList<QueueEntry> entries,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var ids = new List<string>(entries.Count);
        foreach (var chunk in entries.Chunk(EntriesPerScript))
        {
            // One run per script: a script sent again during a slot move must not add the chunks before it a second time.
            ids.AddRange(await RunAsync(db => AddAsync(db, @namespace, queue, chunk), cancellation));
        }

        return ids;
    }

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

    /// <summary>Most entries one script adds, so a large batch does not hold the server for long.</summary>
    private const int EntriesPerScript = 128;

    /// <summary>Entry ids below this one are past the retention; the add trims them (approximately: whole radix-tree nodes) in the same command.</summary>
    private string OldestRetained() => $"{Math.Max(SubscribeOptions.NowMs(time) - (long)driverOptions.QueueRetention.TotalMilliseconds, 0)}-0";

    /// <summary>
    /// Adds the entries in order, in one script: one round trip, and the check, the add and the key of an
    /// entry with an idempotency key are one step for the server (the keys share the queue's hash tag,
    /// hence one slot on a cluster). Returns each entry's message id: for an entry whose key names an
    /// earlier message (also one earlier in this batch), that message's id, and nothing is added.
    /// </summary>
    private async Task<string[]> AddAsync(IDatabase db, string @namespace, string queue, IReadOnlyList<QueueEntry> entries)
    {
        var keys = new List<RedisKey> { Messages(@namespace, queue) };
        var arguments = new List<RedisValue> { (long)driverOptions.QueueDedupWindow.TotalMilliseconds, OldestRetained() };
        var now = SubscribeOptions.NowMs(time);
        foreach (var entry in entries)
        {
            var id = SubscribeOptions.NewMessageId(time);
            var fields = Write(id, entry.Payload, entry.Metadata, entry.Context, now);
            var keyIndex = 0;
            if (entry.IdempotencyKey is { } key)
            {
                keys.Add(IdempotencyKey(@namespace, queue, key));
                keyIndex = keys.Count;
            }

            arguments.Add(id);
            arguments.Add(keyIndex);
            arguments.Add(fields.Length * 2);
            foreach (var field in fields)
            {
                arguments.Add(field.Name);
                arguments.Add(field.Value);
            }
        }

        var ids = (RedisResult[])(await db.ScriptEvaluateAsync(AddScript, [.. keys], [.. arguments]))!;
        return [.. ids.Select(id => (string)id!)];
    }

    /// <summary>
    /// KEYS: the stream, then the entries' idempotency keys. ARGV: dedup window (ms), oldest retained id,
    /// then per entry: its message id, the KEYS index of its idempotency key (0: none), the number of
    /// field arguments, the fields.
    /// </summary>
    private const string AddScript = """
        local ids = {}
        local i = 3
        while i <= #ARGV do
          local id, key, count = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
          local first = key > 0 and redis.call('GET', KEYS[key])
          if first then
            ids[#ids + 1] = first
          else
            redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[2], '*', unpack(ARGV, i + 3, i + 2 + count))
            if key > 0 then
              redis.call('SET', KEYS[key], id, 'PX', ARGV[1])
            end
            ids[#ids + 1] = id
          end
          i = i + 3 + count
        end
        return ids
        """;
}
