using Prism.Backends.PubSub;

namespace Prism.Backends.Queue;

/// <summary>
/// A queue driver (pattern <see cref="Patterns.Queue"/>), transport-neutral: at-least-once delivery to
/// consumer groups, with acknowledgements, a visibility timeout, retries and dead letters. Queues are
/// scoped to a namespace. Failures to reach the backend throw <see cref="BackendUnavailableException"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Groups.</b> Every group that consumes a queue gets every message; inside a group each message goes
/// to one member at a time. A group starts, when its first member joins, with every message the queue
/// still retains (<see cref="BackendDriverOptions.QueueRetention"/>), so messages enqueued before anyone
/// consumed are not lost.
/// </para>
/// <para>
/// <b>Delivery.</b> A message a member neither acknowledges nor rejects within
/// <see cref="ConsumeOptions.VisibilityTimeout"/> becomes visible to the group again (another member, or
/// the same one, gets it). A message is delivered at most <see cref="ConsumeOptions.MaxRetries"/> + 1
/// times; when that last delivery is rejected or times out, the message becomes a dead letter of its
/// queue carrying the error. A late acknowledgement of a message that was meanwhile delivered again is
/// accepted: delivery is at least once, so consumers must tolerate duplicates.
/// </para>
/// <para>
/// <b>Order.</b> First deliveries follow enqueue order for enqueues that did not overlap in time;
/// redeliveries (after a timeout or a rejection) come whenever they are due, after newer messages.
/// No order is promised across members, or per key.
/// </para>
/// </remarks>
public interface IQueue
{
    /// <summary>Name of the backend this driver talks to.</summary>
    string BackendName { get; }

    /// <summary>Capabilities from <see cref="Backends.Capabilities"/> this driver implements.</summary>
    IReadOnlySet<string> Capabilities { get; }

    /// <summary>
    /// Stores a message and returns its id once the backend has it. <paramref name="metadata"/> is
    /// delivered unchanged; <paramref name="context"/> travels beside it in the engine's own fields (null:
    /// empty). With an <paramref name="idempotencyKey"/>, an enqueue repeated with the same key on the same
    /// queue within <see cref="BackendDriverOptions.QueueDedupWindow"/> stores nothing and returns the id of
    /// the first (each driver documents how long past the window it may still remember the key).
    /// </summary>
    Task<string> EnqueueAsync(string @namespace, string queue, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, string? idempotencyKey, CancellationToken cancellation);

    /// <summary>
    /// Stores <paramref name="entries"/> as <see cref="EnqueueAsync"/> would and returns their ids in the
    /// entries' order; the entries overlap in time (no order is promised between them). A failure fails the
    /// whole call, some entries possibly stored. Drivers that can hand the engine many messages at once
    /// override it; the default enqueues them concurrently.
    /// </summary>
    async Task<IReadOnlyList<string>> EnqueueBatchAsync(string @namespace, string queue, IReadOnlyList<QueueEntry> entries, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var stores = entries.Select(e => EnqueueAsync(@namespace, queue, e.Payload, e.Metadata, e.Context, e.IdempotencyKey, cancellation)).ToArray();
        return await Task.WhenAll(stores);
    }

    /// <summary>
    /// Joins <paramref name="group"/> as member <paramref name="consumerId"/> (creating the group on first
    /// use) and starts receiving. Members of one group should pass the same options; where the engine
    /// keeps them per group (NATS), the last member to join sets them.
    /// </summary>
    /// <exception cref="ArgumentException">The options are out of range (<see cref="ConsumeOptions.Validate"/>).</exception>
    Task<IQueueConsumer> ConsumeAsync(string @namespace, string queue, string group, string consumerId, ConsumeOptions options, CancellationToken cancellation);

    /// <summary>
    /// Dead letters of <paramref name="queue"/> (every group), oldest first, starting after the dead letter
    /// <paramref name="after"/> (null: from the first), at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string @namespace, string queue, string? after, int limit, CancellationToken cancellation);

    /// <summary>The dead letter <paramref name="deadLetterId"/> of <paramref name="queue"/>, or null.</summary>
    Task<DeadLetter?> GetDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation);

    /// <summary>
    /// Enqueues the dead letter again (payload, metadata and context as they were) as a new message with
    /// fresh attempts, and removes it from the dead letters. Every group of the queue receives the new
    /// message. Returns its id, or null when there is no such dead letter.
    /// </summary>
    Task<string?> ReplayDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation);

    /// <summary>Removes every dead letter of <paramref name="queue"/>; returns how many.</summary>
    Task<long> PurgeDeadLettersAsync(string @namespace, string queue, CancellationToken cancellation);
}

/// <summary>
/// One member of a consumer group. It holds at most <see cref="ConsumeOptions.MaxInFlight"/> messages it
/// received and has not acknowledged or rejected; while it holds that many it receives nothing more
/// (messages it holds past the visibility timeout still count until it settles them). Dispose it to
/// leave the group: messages it still holds become visible to the group after their visibility timeout.
/// </summary>
public interface IQueueConsumer : IAsyncDisposable
{
    /// <summary>The queue.</summary>
    string Queue { get; }

    /// <summary>The group joined.</summary>
    string Group { get; }

    /// <summary>This member's id.</summary>
    string ConsumerId { get; }

    /// <summary>
    /// The messages given to this member. Completes when the consumer is disposed; throws
    /// <see cref="BackendUnavailableException"/> when the backend cannot be reached (join again).
    /// Read it once.
    /// </summary>
    IAsyncEnumerable<QueueMessage> ReadAllAsync(CancellationToken cancellation);

    /// <summary>
    /// Acknowledges message <paramref name="messageId"/>: it is done for this group. Returns false when this
    /// member does not hold it (never received, or already settled).
    /// </summary>
    Task<bool> AckAsync(string messageId, CancellationToken cancellation);

    /// <summary>
    /// Rejects message <paramref name="messageId"/>: the group gets it again after <paramref name="delay"/>
    /// (zero: at once), or, when this was its last allowed delivery, it becomes a dead letter carrying
    /// <paramref name="error"/>. Returns false when this member does not hold it.
    /// </summary>
    Task<bool> NackAsync(string messageId, TimeSpan delay, string? error, CancellationToken cancellation);
}
