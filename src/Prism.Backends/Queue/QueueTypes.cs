using Prism.Backends.PubSub;

namespace Prism.Backends.Queue;

/// <summary>A message to enqueue (<see cref="IQueue.EnqueueBatchAsync"/>); the arguments of <see cref="IQueue.EnqueueAsync"/>.</summary>
public sealed record QueueEntry(ReadOnlyMemory<byte> Payload, IReadOnlyDictionary<string, string>? Metadata, MessageContext? Context, string? IdempotencyKey);

/// <summary>A message given to a member of a consumer group.</summary>
/// <param name="Queue">Queue it was enqueued on.</param>
/// <param name="MessageId">Id returned by enqueue; pass it to ack or nack.</param>
/// <param name="Payload">Opaque bytes (empty allowed).</param>
/// <param name="Metadata">Producer's metadata, unchanged.</param>
/// <param name="Context">Who enqueued it and from which trace (empty for a message from outside Prism).</param>
/// <param name="EnqueuedAt">Enqueue time in milliseconds since the Unix epoch.</param>
/// <param name="Attempt">Which delivery this is in the group: 1 the first time, 2 on the first retry, …</param>
public sealed record QueueMessage(string Queue, string MessageId, ReadOnlyMemory<byte> Payload, IReadOnlyDictionary<string, string> Metadata,
    MessageContext Context, long EnqueuedAt, int Attempt);

/// <summary>A message that exhausted its deliveries in a group.</summary>
/// <param name="Id">Id of the dead letter (not the message id), for inspect and replay.</param>
/// <param name="Queue">Queue it came from.</param>
/// <param name="Group">Group in which it failed.</param>
/// <param name="MessageId">Its id while it was on the queue.</param>
/// <param name="Payload">Opaque bytes, as enqueued.</param>
/// <param name="Metadata">Producer's metadata, as enqueued.</param>
/// <param name="Context">Context, as enqueued.</param>
/// <param name="EnqueuedAt">Enqueue time in milliseconds since the Unix epoch.</param>
/// <param name="Attempts">Deliveries made in the group.</param>
/// <param name="Error">Why the last delivery failed: the consumer's error, or <see cref="VisibilityTimeoutError"/>.</param>
/// <param name="DeadAt">When it became a dead letter, in milliseconds since the Unix epoch.</param>
public sealed record DeadLetter(string Id, string Queue, string Group, string MessageId, ReadOnlyMemory<byte> Payload,
    IReadOnlyDictionary<string, string> Metadata, MessageContext Context, long EnqueuedAt, int Attempts, string Error, long DeadAt)
{
    /// <summary>The error of a message whose last delivery was neither acknowledged nor rejected in time.</summary>
    public const string VisibilityTimeoutError = "not acknowledged within the visibility timeout";

    /// <summary>The error of a rejection that gave none.</summary>
    public const string NoError = "rejected by the consumer";

    /// <summary>Longest error kept; longer ones are cut.</summary>
    public const int MaxErrorLength = 4096;

    /// <summary>The error as stored: <see cref="NoError"/> when empty, cut at <see cref="MaxErrorLength"/>.</summary>
    public static string ErrorOf(string? error) =>
        string.IsNullOrEmpty(error) ? NoError : error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
}

/// <summary>How a member consumes.</summary>
public sealed record ConsumeOptions
{
    /// <summary>The defaults: 16 in flight, 30 s visibility, 5 retries.</summary>
    public static ConsumeOptions Default { get; } = new();

    /// <summary>Most messages the member holds unsettled (1-10,000).</summary>
    public int MaxInFlight { get; init; } = 16;

    /// <summary>How long a delivered message stays hidden from the group before it is given out again (100 ms-12 h).</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a failed message is delivered again before it becomes a dead letter (0-1,000).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Deliveries a message gets in a group: <see cref="MaxRetries"/> + 1.</summary>
    public int MaxDeliveries => MaxRetries + 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (MaxInFlight is < 1 or > 10_000)
        {
            throw new ArgumentException($"max_in_flight must be between 1 and 10000, not {MaxInFlight}");
        }

        if (VisibilityTimeout < TimeSpan.FromMilliseconds(100) || VisibilityTimeout > TimeSpan.FromHours(12))
        {
            throw new ArgumentException($"visibility_timeout must be between 100ms and 12h, not {VisibilityTimeout}");
        }

        if (MaxRetries is < 0 or > 1_000)
        {
            throw new ArgumentException($"max_retries must be between 0 and 1000, not {MaxRetries}");
        }
    }
}
