using System.Diagnostics;
using Prism.Backends.PubSub;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>Trace context of messages: what a publish carries, and the span of each delivery.</summary>
internal static class MessageTelemetry
{
    /// <summary>Name of the span of one delivered message.</summary>
    public const string DeliverSpan = "pubsub.deliver";

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
        var context = message.Context;
        var publisher = context.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, context.TraceState, out var parsed)
            ? parsed
            : default;
        var links = publisher != default && Activity.Current is { } subscribe ? new[] { new ActivityLink(subscribe.Context) } : null;
        var activity = ProxyTelemetry.ActivitySource.StartActivity(DeliverSpan, ActivityKind.Consumer, publisher, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("prism.namespace", route.Namespace.Name);
            activity.SetTag("prism.backend", route.Backend.Name);
            activity.SetTag("messaging.system", route.Backend.Type.Telemetry?.Name ?? route.Backend.Type.Name);
            activity.SetTag("messaging.destination.name", message.Topic);
            activity.SetTag("messaging.message.id", message.MessageId);
            activity.SetTag("prism.subscriber_id", subscriberId);
        }

        return activity;
    }
}
