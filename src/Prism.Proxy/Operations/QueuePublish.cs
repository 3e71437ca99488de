namespace Prism.Proxy.Operations;

/// <summary>
/// One message to publish on a queue; empty optional strings are given as null. <c>TraceParent</c> and
/// <c>TraceState</c> are the publisher's W3C trace context (null: the call's own).
/// </summary>
internal sealed record QueuePublish(string Queue, ReadOnlyMemory<byte> Payload, IReadOnlyDictionary<string, string>? Metadata, string? IdempotencyKey,
    string? TraceParent = null, string? TraceState = null)
{
    /// <summary>Bytes the publish carries, as the session counts them.</summary>
    public long Size => Queue.Length + Payload.Length + (IdempotencyKey?.Length ?? 0);
}

/// <summary>What became of one entry of a batch: its message id, or why it was refused (INVALID_ARGUMENT).</summary>
internal sealed record PublishOutcome(string? MessageId, string? Error)
{
    public static PublishOutcome Stored(string messageId) => new(messageId, null);

    public static PublishOutcome Refused(string error) => new(null, error);
}
