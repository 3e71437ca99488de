namespace Prism.Backends.PubSub;

/// <summary>
/// A publish/subscribe driver, transport-neutral. Topics are scoped to a namespace: a
/// subscriber in one namespace never receives messages published in another. Messages of
/// one topic reach each subscriber in publish order. Failures to reach the backend throw
/// <see cref="BackendUnavailableException"/>.
/// </summary>
public interface IPubSub
{
    /// <summary>Name of the backend this driver talks to.</summary>
    string BackendName { get; }

    /// <summary>Capabilities from <see cref="Backends.Capabilities"/> this driver implements.</summary>
    IReadOnlySet<string> Capabilities { get; }

    /// <summary>
    /// Publishes a message and returns its id. <paramref name="metadata"/> is the publisher's map and
    /// is delivered unchanged, whatever its keys; <paramref name="context"/> travels beside it (null: empty).
    /// </summary>
    Task<string> PublishAsync(string @namespace, string topic, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, CancellationToken cancellation);

    /// <summary>
    /// Starts a subscription. When the returned task completes the subscription is live: every
    /// message published afterwards is delivered. Durable subscriptions
    /// (<see cref="SubscribeOptions.Durable"/>) also get what was published while the subscriber
    /// was away; a driver without <see cref="Backends.Capabilities.PubSubDurable"/> throws
    /// <see cref="BackendCapabilityException"/>.
    /// </summary>
    Task<IPubSubSubscription> SubscribeAsync(string @namespace, string topic, string subscriberId, SubscribeOptions options, CancellationToken cancellation);

    /// <summary>
    /// Ends every live subscription of <paramref name="subscriberId"/> to <paramref name="topic"/>
    /// (their message streams complete) and forgets a durable subscriber's position.
    /// Returns true when something was ended.
    /// </summary>
    Task<bool> UnsubscribeAsync(string @namespace, string topic, string subscriberId, CancellationToken cancellation);
}

/// <summary>A live subscription; dispose it to stop receiving (a durable position is kept).</summary>
public interface IPubSubSubscription : IAsyncDisposable
{
    /// <summary>The topic subscribed to.</summary>
    string Topic { get; }

    /// <summary>The subscriber's id.</summary>
    string SubscriberId { get; }

    /// <summary>
    /// The messages, in order. Completes when unsubscribed or disposed; throws
    /// <see cref="SubscriberLaggingException"/> when the subscriber fell too far behind and
    /// <see cref="BackendUnavailableException"/> when the backend connection was lost.
    /// Read it once.
    /// </summary>
    IAsyncEnumerable<PubSubMessage> ReadAllAsync(CancellationToken cancellation);
}
