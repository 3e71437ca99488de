using Prism.Backends;
using Prism.Backends.PubSub;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>
/// Publish/subscribe calls of the data plane, free of gRPC. A subscription runs until the client
/// cancels, the driver ends it (unsubscribe), or the session ends it (termination, maintenance,
/// drain, shutdown); a lagging subscriber is refused with RESOURCE_EXHAUSTED.
/// </summary>
internal sealed class PubSubOperations(DataPlaneRouter router, RequestLimits limits, TimeProvider time)
{
    /// <summary>
    /// Publishes a message and returns its id. The message carries the caller's context (identity,
    /// session, namespace, the trace of this call); reserved metadata keys
    /// (<see cref="ContextMetadata.IsReserved"/>) are dropped, so nobody can pose as another publisher.
    /// </summary>
    public async Task<string> PublishAsync(DataPlaneCaller caller, string topic, ReadOnlyMemory<byte> payload,
        IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellation)
    {
        var (route, pubSub) = await OpenAsync(caller, cancellation);
        limits.CheckKey(topic, "topic");
        limits.CheckValue(payload.Length, route.Namespace, "payload");
        try
        {
            return await BackendCalls.RunAsync("pubsub.publish", route,
                () => pubSub.PublishAsync(route.Namespace.Name, topic, payload, ContextMetadata.WithoutReserved(metadata),
                    MessageTelemetry.ContextOf(route), cancellation));
        }
        finally
        {
            route.Session.Record(topic.Length + payload.Length, 0, time.GetUtcNow());
        }
    }

    /// <summary>Ends a subscriber's subscriptions to a topic; true when something was ended.</summary>
    public async Task<bool> UnsubscribeAsync(DataPlaneCaller caller, string topic, string subscriberId, CancellationToken cancellation)
    {
        var (route, pubSub) = await OpenAsync(caller, cancellation);
        limits.CheckKey(topic, "topic");
        limits.CheckKey(subscriberId, "subscriber_id");
        try
        {
            return await BackendCalls.RunAsync("pubsub.unsubscribe", route,
                () => pubSub.UnsubscribeAsync(route.Namespace.Name, topic, subscriberId, cancellation));
        }
        finally
        {
            route.Session.Record(topic.Length + subscriberId.Length, 0, time.GetUtcNow());
        }
    }

    /// <summary>
    /// Subscribes; when the returned task completes the subscription is live. An empty
    /// <paramref name="subscriberId"/> gets a generated one. Dispose the result to stop.
    /// </summary>
    public async Task<LiveSubscription> SubscribeAsync(DataPlaneCaller caller, string topic, string subscriberId,
        IReadOnlyDictionary<string, string>? options, CancellationToken cancellation)
    {
        var (route, pubSub) = await OpenAsync(caller, cancellation);
        limits.CheckKey(topic, "topic");
        var subscriber = subscriberId.Length > 0 ? subscriberId : "sub-" + Guid.NewGuid().ToString("N");
        limits.CheckKey(subscriber, "subscriber_id");
        var subscribeOptions = SubscribeOptions.From(options);
        if (subscribeOptions.Durable && !pubSub.Capabilities.Contains(Capabilities.PubSubDurable))
        {
            throw BackendCalls.MissingCapability(route.Backend.Name, Capabilities.PubSubDurable);
        }

        route.Session.Record(topic.Length + subscriber.Length, 0, time.GetUtcNow());
        var stream = route.Session.OpenStream();
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, stream.Ending);
        try
        {
            var subscription = await BackendCalls.RunAsync("pubsub.subscribe", route,
                () => pubSub.SubscribeAsync(route.Namespace.Name, topic, subscriber, subscribeOptions, linked.Token));
            return new LiveSubscription(subscription, route, stream, linked, time, cancellation);
        }
        catch (Exception e)
        {
            linked.Dispose();
            stream.Dispose();
            if (e is OperationCanceledException && stream.EndReason is { } reason && !cancellation.IsCancellationRequested)
            {
                throw reason;
            }

            throw;
        }
    }

    private async Task<(DataPlaneRoute Route, IPubSub PubSub)> OpenAsync(DataPlaneCaller caller, CancellationToken cancellation)
    {
        var route = await router.RouteAsync(caller, Patterns.PubSub, cancellation);
        var pubSub = BackendCalls.Driver<IPubSub>(route, Patterns.PubSub);
        return pubSub.Capabilities.Contains(Capabilities.PubSubBasic)
            ? (route, pubSub)
            : throw BackendCalls.MissingCapability(route.Backend.Name, Capabilities.PubSubBasic);
    }
}
