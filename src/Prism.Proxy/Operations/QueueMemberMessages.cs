using Prism.Backends.Queue;

namespace Prism.Proxy.Operations;

/// <summary>
/// What a member asks for when it joins a consumer group. Zero values (for <see cref="MaxRetries"/>:
/// null) take the defaults (<see cref="QueueOperations.OptionsFor"/>).
/// </summary>
internal sealed record QueueJoin(string Queue, string Group, string ConsumerId, int MaxInFlight, long VisibilityTimeoutMs, int? MaxRetries,
    bool Batched = false);

/// <summary>What the client of a consumer stream sends: a join first, then acks and nacks.</summary>
internal abstract record MemberRequest
{
    private MemberRequest()
    {
    }

    /// <summary>Joins the group; only as the first request.</summary>
    public sealed record Join(QueueJoin Options) : MemberRequest;

    /// <summary>Acknowledges a message.</summary>
    public sealed record Ack(string MessageId) : MemberRequest;

    /// <summary>Rejects a message; it is given out again after the delay, or becomes a dead letter.</summary>
    public sealed record Nack(string MessageId, long DelayMs, string Error) : MemberRequest;

    /// <summary>Several acks and nacks, each settled as if sent alone.</summary>
    public sealed record Many(IReadOnlyList<MemberRequest> Settlements) : MemberRequest;

    /// <summary>A request that carries none of the above.</summary>
    public sealed record Empty : MemberRequest;
}

/// <summary>What the proxy sends on a consumer stream.</summary>
internal abstract record MemberEvent
{
    private MemberEvent()
    {
    }

    /// <summary>The member is in the group with these settings; messages follow, in batches when <paramref name="Batched"/>.</summary>
    public sealed record Joined(string Queue, string Group, string ConsumerId, ConsumeOptions Options, bool Batched = false) : MemberEvent;

    /// <summary>A message for the member; its metadata carries the message context (<see cref="ContextMetadata"/>).</summary>
    public sealed record Delivered(QueueMessage Message) : MemberEvent;

    /// <summary>The outcome of an ack or nack: <paramref name="Ok"/> false when the member did not hold the message.</summary>
    public sealed record Settled(string MessageId, bool Ok) : MemberEvent;
}
