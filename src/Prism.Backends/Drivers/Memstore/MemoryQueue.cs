using System.Collections.Concurrent;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;

namespace Prism.Backends.Drivers.Memstore;

/// <summary>
/// The embedded queue backend: per queue an ordered log of messages, per group a cursor into it and its
/// unsettled deliveries, and the queue's dead letters, all in this process (lost at exit, no
/// <see cref="Capabilities.QueueDurable"/>). Visibility and nack delays follow <see cref="TimeProvider"/>;
/// members poll every <see cref="BackendDriverOptions.QueuePollInterval"/>. First deliveries are in
/// enqueue order. Idempotency keys are remembered for exactly <see cref="BackendDriverOptions.QueueDedupWindow"/>;
/// messages are dropped after <see cref="BackendDriverOptions.QueueRetention"/>.
/// </summary>
public sealed partial class MemoryQueue(TimeProvider time, BackendDriverOptions driverOptions) : IQueue, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Namespace, string Queue), QueueLog> _queues = new();
    private readonly ActiveConsumers _consumers = new();
    private readonly MemoryBudget _budget = new(driverOptions.MemstoreQueueBytes);

    /// <inheritdoc />
    public string BackendName => "memstore";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string> { Backends.Capabilities.QueueBasic, Backends.Capabilities.QueueDeadLetter };

    /// <inheritdoc />
    public Task<string> EnqueueAsync(string @namespace, string queue, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, string? idempotencyKey, CancellationToken cancellation)
    {
        var log = Log(@namespace, queue);
        var size = SizeOf(payload, metadata);
        for (var reclaimed = false; ; reclaimed = true)
        {
            lock (log.Gate)
            {
                var now = time.GetUtcNow();
                log.Forget(now - driverOptions.QueueRetention, now);
                if (idempotencyKey is not null && log.TryGetStored(idempotencyKey, out var known))
                {
                    return Task.FromResult(known);
                }

                if (log.MakeRoom(size))
                {
                    var stored = new Stored(SubscribeOptions.NewMessageId(time), payload.ToArray(), Copy(metadata),
                        context?.Normalised() ?? MessageContext.Empty, now.ToUnixTimeMilliseconds(), size);
                    log.Append(stored);
                    if (idempotencyKey is not null)
                    {
                        log.Remember(idempotencyKey, stored.Id, now + driverOptions.QueueDedupWindow);
                    }

                    return Task.FromResult(stored.Id);
                }
            }

            if (reclaimed)
            {
                throw new BackendFullException($"memstore queue '{queue}' is full: its instance holds {_budget.Limit / (1024 * 1024)} MB of queued messages "
                    + $"and dead letters ({MemstoreBackendType.QueueMemorySetting.Display}); consume them, purge dead letters, "
                    + "or bind the namespace's queue slot to a durable backend");
            }

            // Other queues' settled messages, each queue under its own lock only (never two at once).
            foreach (var other in _queues.Values.Where(other => other != log))
            {
                lock (other.Gate)
                {
                    if (other.MakeRoom(size))
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public Task<IQueueConsumer> ConsumeAsync(string @namespace, string queue, string group, string consumerId, ConsumeOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var log = Log(@namespace, queue);
        Group state;
        lock (log.Gate)
        {
            if (!log.Groups.TryGetValue(group, out state!))
            {
                state = new Group(log.FirstSequence);
                log.Groups[group] = state;
            }
        }

        var consumer = new MemoryConsumer(this, log, state, queue, group, consumerId, options);
        _consumers.Add(consumer);
        consumer.Start();
        return Task.FromResult<IQueueConsumer>(consumer);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string @namespace, string queue, string? after, int limit, CancellationToken cancellation)
    {
        var log = Log(@namespace, queue);
        var from = after is not null && long.TryParse(after, out var position) ? position : 0;
        lock (log.Gate)
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>([.. log.Dead.Where(d => d.Key > from).Take(Math.Max(limit, 0)).Select(d => d.Value)]);
        }
    }

    /// <inheritdoc />
    public Task<DeadLetter?> GetDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation)
    {
        var log = Log(@namespace, queue);
        lock (log.Gate)
        {
            return Task.FromResult(long.TryParse(deadLetterId, out var id) ? log.Dead.GetValueOrDefault(id) : null);
        }
    }

    /// <inheritdoc />
    public Task<string?> ReplayDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation)
    {
        var log = Log(@namespace, queue);
        lock (log.Gate)
        {
            if (!long.TryParse(deadLetterId, out var id) || !log.TryTakeDead(id, out var dead))
            {
                return Task.FromResult<string?>(null);
            }

            var stored = new Stored(SubscribeOptions.NewMessageId(time), dead.Payload.ToArray(), dead.Metadata, dead.Context, SubscribeOptions.NowMs(time),
                SizeOf(dead.Payload, dead.Metadata));
            log.Append(stored);
            return Task.FromResult<string?>(stored.Id);
        }
    }

    /// <inheritdoc />
    public Task<long> PurgeDeadLettersAsync(string @namespace, string queue, CancellationToken cancellation)
    {
        var log = Log(@namespace, queue);
        lock (log.Gate)
        {
            return Task.FromResult(log.ClearDead());
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _consumers.CloseAllAsync();

    private QueueLog Log(string @namespace, string queue) => _queues.GetOrAdd((@namespace, queue), key => new QueueLog(key.Queue, _budget));

    /// <summary>What a message or dead letter is counted as against <see cref="BackendDriverOptions.MemstoreQueueBytes"/>: its payload and metadata, and a fixed share for the rest.</summary>
    private static long SizeOf(ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata) =>
        payload.Length + 512 + (metadata?.Sum(m => 2L * (m.Key.Length + m.Value.Length)) ?? 0);

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null ? [] : metadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private sealed record Stored(string Id, byte[] Payload, IReadOnlyDictionary<string, string> Metadata, MessageContext Context, long EnqueuedAt, long Size);

    /// <summary>Bytes held by the queues of one memstore instance, against its limit.</summary>
    private sealed class MemoryBudget(long limit)
    {
        private long _used;

        public long Limit => limit;

        public bool Fits(long size) => Volatile.Read(ref _used) + size <= limit;

        public void Add(long size) => Interlocked.Add(ref _used, size);

        public void Release(long size) => Interlocked.Add(ref _used, -size);
    }

    /// <summary>A delivery a member holds or that waits to be given out again.</summary>
    private sealed class Pending(Stored message)
    {
        public Stored Message { get; } = message;

        public string Consumer { get; set; } = "";

        public int Attempts { get; set; }

        /// <summary>When it may be given out again; set through <see cref="Group.Hide"/>.</summary>
        public DateTimeOffset VisibleAt { get; set; }
    }

    private sealed class Group(long next)
    {
        /// <summary>Sequence of the first message no member of the group has had yet.</summary>
        public long Next { get; set; } = next;

        public SortedDictionary<long, Pending> Pending { get; } = [];

        /// <summary>No delivery in <see cref="Pending"/> is visible before this time (it may be earlier than the earliest).</summary>
        public DateTimeOffset NextVisible { get; set; } = DateTimeOffset.MaxValue;

        /// <summary>Keeps <paramref name="pending"/> from members until <paramref name="until"/>.</summary>
        public void Hide(Pending pending, DateTimeOffset until)
        {
            pending.VisibleAt = until;
            if (until < NextVisible)
            {
                NextVisible = until;
            }
        }
    }

    private sealed class QueueLog(string name, MemoryBudget budget)
    {
        private long _nextSequence;
        private long _nextDead;

        public Lock Gate { get; } = new();

        public SortedDictionary<long, Stored> Messages { get; } = [];

        public Dictionary<string, Group> Groups { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<long, DeadLetter> Dead { get; } = [];

        private readonly Dictionary<string, (string MessageId, DateTimeOffset Until)> _keys = new(StringComparer.Ordinal);

        // Each remembered key once, in the order remembered, which is the order their windows end: forgetting looks only at the oldest.
        private readonly Queue<(string Key, DateTimeOffset Until)> _keyWindows = new();

        public long FirstSequence => Messages.Count == 0 ? _nextSequence : Messages.Keys.First();

        public long NextSequence => _nextSequence;

        public void Append(Stored message)
        {
            Messages[_nextSequence++] = message;
            budget.Add(message.Size);
        }

        /// <summary>
        /// Whether <paramref name="size"/> more bytes fit the instance's budget, after dropping, oldest first, the
        /// messages every group of this queue has settled (none while the queue has no group: a group joining
        /// later starts with them).
        /// </summary>
        public bool MakeRoom(long size)
        {
            while (!budget.Fits(size) && Groups.Count > 0 && Messages.Count > 0)
            {
                var (oldest, message) = Messages.First();
                if (Groups.Values.Any(g => g.Next <= oldest || g.Pending.ContainsKey(oldest)))
                {
                    break;
                }

                Messages.Remove(oldest);
                budget.Release(message.Size);
            }

            return budget.Fits(size);
        }

        public bool TryTakeDead(long id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out DeadLetter dead)
        {
            if (!Dead.Remove(id, out dead))
            {
                return false;
            }

            budget.Release(SizeOf(dead.Payload, dead.Metadata));
            return true;
        }

        public long ClearDead()
        {
            long count = Dead.Count;
            foreach (var dead in Dead.Values)
            {
                budget.Release(SizeOf(dead.Payload, dead.Metadata));
            }

            Dead.Clear();
            return count;
        }

        public bool TryGetStored(string idempotencyKey, out string messageId)
        {
            var known = _keys.TryGetValue(idempotencyKey, out var stored);
            messageId = stored.MessageId;
            return known;
        }

        public void Remember(string idempotencyKey, string messageId, DateTimeOffset until)
        {
            _keys[idempotencyKey] = (messageId, until);
            _keyWindows.Enqueue((idempotencyKey, until));
        }

        public void AddDead(string group, Stored message, int attempts, string error, long deadAt)
        {
            var id = ++_nextDead;
            Dead[id] = new DeadLetter(id.ToString(System.Globalization.CultureInfo.InvariantCulture), name, group, message.Id, message.Payload,
                message.Metadata, message.Context, message.EnqueuedAt, attempts, error, deadAt);
            // Counted apart from the message, which may outlive it in the log or be dropped before it.
            budget.Add(message.Size);
        }

        /// <summary>Drops messages older than <paramref name="before"/> and idempotency keys past their window.</summary>
        public void Forget(DateTimeOffset before, DateTimeOffset now)
        {
            var cutoff = before.ToUnixTimeMilliseconds();
            foreach (var (old, message) in Messages.TakeWhile(m => m.Value.EnqueuedAt < cutoff).ToList())
            {
                Messages.Remove(old);
                budget.Release(message.Size);
            }

            while (_keyWindows.TryPeek(out var oldest) && oldest.Until <= now)
            {
                _keyWindows.Dequeue();
                _keys.Remove(oldest.Key);
            }
        }
    }
}
