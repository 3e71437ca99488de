using System.Diagnostics;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>Trace context of messages: what a publish carries, and the span of each delivery.</summary>
internal static class MessageTelemetry
{
    /// <summary>Name of the span of one delivered message.</summary>
    public const string DeliverSpan = "pubsub.deliver";

    /// <summary>Name of the span of one message given to a queue member.</summary>
    public const string QueueDeliverSpan = "queue.deliver";

    /// <summary>The context a publish through <paramref name="route"/> carries: the caller's identity and the current trace.</summary>
    public static MessageContext ContextOf(DataPlaneRoute route)
    {
        var current = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity : null;
        return new MessageContext(route.Session.Subject, route.Session.ClientId, route.Session.Id, route.Namespace.Name,
            current?.Id, current?.TraceStateString).Normalised();
    }

    /// <summary>
    /// Starts the consumer span of one delivery. Its parent is the publisher's span when the message
    /// carries a valid traceparent (the subscribe call is then a link), else the current span.
    /// </summary>
    public static Activity? StartDelivery(DataPlaneRoute route, string subscriberId, PubSubMessage message)
    {
        var activity = StartConsumerSpan(DeliverSpan, route, message.Context, message.Topic, message.MessageId);
        activity?.SetTag("prism.subscriber_id", subscriberId);
        return activity;
    }

    /// <summary>
    /// Starts the consumer span of one message given to a queue member (<see cref="QueueDeliverSpan"/>),
    /// parented like <see cref="StartDelivery(DataPlaneRoute, string, PubSubMessage)"/>.
    /// </summary>
    public static Activity? StartDelivery(DataPlaneRoute route, IQueueConsumer member, QueueMessage message)
    {
        var activity = StartConsumerSpan(QueueDeliverSpan, route, message.Context, message.Queue, message.MessageId);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.consumer.group.name", member.Group);
            activity.SetTag("messaging.message.delivery_count", message.Attempt);
            activity.SetTag("prism.consumer_id", member.ConsumerId);
        }

        return activity;
    }

    /// <summary>The messaging tags of a call on <paramref name="destination"/> (a topic or queue) through <paramref name="route"/>.</summary>
    public static void TagMessaging(Activity activity, DataPlaneRoute route, string destination)
    {
        activity.SetTag("messaging.system", route.Backend.Type.Telemetry?.Name ?? route.Backend.Type.Name);
        activity.SetTag("messaging.destination.name", destination);
    }

    private static Activity? StartConsumerSpan(string name, DataPlaneRoute route, MessageContext context, string destination, string messageId)
    {
        if (!ProxyTelemetry.ActivitySource.HasListeners())
        {
            // No span would be made: spare parsing the publisher's context for every message.
            return null;
        }

        var publisher = context.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, context.TraceState, out var parsed)
            ? parsed
            : default;
        var links = publisher != default && Activity.Current is { } call ? new[] { new ActivityLink(call.Context) } : null;
        var activity = ProxyTelemetry.ActivitySource.StartActivity(name, ActivityKind.Consumer, publisher, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("prism.namespace", route.Namespace.Name);
            activity.SetTag("prism.backend", route.Backend.Name);
            TagMessaging(activity, route, destination);
            activity.SetTag("messaging.message.id", messageId);
        }

        return activity;
    }
}
