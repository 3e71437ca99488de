using System.Globalization;

namespace Prism.Backends.PubSub;

/// <summary>A delivered message.</summary>
/// <param name="Topic">Topic it was published to.</param>
/// <param name="Payload">Opaque bytes (empty allowed).</param>
/// <param name="Metadata">Publisher's metadata.</param>
/// <param name="MessageId">Id returned by publish.</param>
/// <param name="Timestamp">Publish time in milliseconds since the Unix epoch.</param>
/// <param name="Context">Who sent it and from which trace; <see cref="MessageContext.Empty"/> when null.</param>
public sealed record PubSubMessage(string Topic, ReadOnlyMemory<byte> Payload, IReadOnlyDictionary<string, string> Metadata, string MessageId, long Timestamp,
    MessageContext? Context = null)
{
    /// <summary>Who sent it and from which trace (empty for a message from outside Prism).</summary>
    public MessageContext Context { get; init; } = Context ?? MessageContext.Empty;
}

/// <summary>How to subscribe, parsed from the wire's <c>options</c> map.</summary>
/// <param name="Durable">Keep the subscriber's position while it is away (<c>durable=true</c>).</param>
public sealed record SubscribeOptions(bool Durable = false)
{
    /// <summary>Option key that asks for a durable subscription.</summary>
    public const string DurableKey = "durable";

    /// <summary>A plain, non-durable subscription.</summary>
    public static SubscribeOptions Default { get; } = new();

    /// <summary>Reads the wire options; unknown keys are ignored.</summary>
    public static SubscribeOptions From(IReadOnlyDictionary<string, string>? options) =>
        new(options is not null && options.TryGetValue(DurableKey, out var durable)
            && bool.TryParse(durable, out var isDurable) && isDurable);

    /// <summary>Milliseconds since the Unix epoch of <paramref name="time"/>'s now.</summary>
    internal static long NowMs(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A new time-ordered message id.</summary>
    internal static string NewMessageId(TimeProvider time) =>
        Guid.CreateVersion7(time.GetUtcNow()).ToString("N", CultureInfo.InvariantCulture);
}

/// <summary>
/// The subscriber did not keep up: its buffer of <see cref="Capacity"/> messages filled, so it
/// was disconnected rather than slowing publishers or other subscribers. It can subscribe again
/// (a durable subscriber resumes where it left off).
/// </summary>
public sealed class SubscriberLaggingException(string topic, string subscriberId, int capacity)
    : Exception($"subscriber '{subscriberId}' fell more than {capacity} messages behind on topic '{topic}' and was disconnected")
{
    /// <summary>The topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>The subscriber that lagged.</summary>
    public string SubscriberId { get; } = subscriberId;

    /// <summary>Messages the subscriber could have pending.</summary>
    public int Capacity { get; } = capacity;
}
