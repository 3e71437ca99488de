namespace Prism.Backends;

/// <summary>Tuning shared by the drivers, read from <see cref="BackendSettings"/>.</summary>
/// <param name="SubscriberBuffer">Messages a non-durable subscriber may have pending before it is disconnected as lagging.</param>
/// <param name="PurgeInterval">How often expired keys are deleted from memstore, sqlite and postgres (reads ignore them anyway).</param>
/// <param name="PubSubRetention">How long published messages are kept (postgres message table, NATS JetStream stream).</param>
public sealed record BackendDriverOptions(int SubscriberBuffer, TimeSpan PurgeInterval, TimeSpan PubSubRetention)
{
    /// <summary>How long the postgres pub/sub driver tries to listen again after losing its connection before it ends live subscriptions.</summary>
    public TimeSpan ListenerReconnectWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long queued messages are kept, acknowledged or not (Redis stream trim, JetStream max age, postgres purge); a group joining later starts with what is kept.</summary>
    public TimeSpan QueueRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long an enqueue's idempotency key is remembered at least.</summary>
    public TimeSpan QueueDedupWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a queue consumer that found nothing waits before looking again (memstore, Redis, postgres; NATS waits on the server).</summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a queue member keeps fetching again while its backend is unavailable before its stream ends with the
    /// error; shorter outages only pause its deliveries.
    /// </summary>
    public TimeSpan QueueOutageWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bytes the queues of one memstore instance may hold (messages and dead letters); past it, messages every
    /// group has settled are dropped oldest first, then enqueues are refused.
    /// </summary>
    public long MemstoreQueueBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Bytes the keys and values of one memstore instance may take; a write past it is refused.</summary>
    public long MemstoreKeyValueBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The documented defaults.</summary>
    public static BackendDriverOptions Default { get; } = new(1024, TimeSpan.FromSeconds(60), TimeSpan.FromDays(1));
}
