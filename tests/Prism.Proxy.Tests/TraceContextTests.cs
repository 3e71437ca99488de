using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Prism.Interfaces.KeyValue;
using Prism.Interfaces.PubSub;
using Prism.Interfaces.Queue;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>
/// W3C trace context from a client's <c>traceparent</c> reaches the proxy's span of the backend call,
/// and travels with a published message to the subscriber's delivery span.
/// </summary>
public class TraceContextTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    [Fact]
    public async Task ACallWithTraceparent_ContinuesTheClientsTrace_DownToTheBackendCall()
    {
        var recorded = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ProxyTelemetry.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var server = fixture.Server;
        var ns = await server.CreateNamespaceAsync();
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();
        var options = ProxyServer.Call(server.TokenFor(), ns);
        options.Headers!.Add("traceparent", $"00-{traceId}-{clientSpan}-01");

        await server.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, options);

        // The trace may also hold the issuer's answers to discovery and JWKS requests the proxy made for it.
        var inTrace = recorded.Where(a => a.TraceId == traceId).ToList();
        var backendCall = Assert.Single(inTrace, a => a.OperationName == "keyvalue.set");
        var request = Assert.Single(inTrace, a => a.SpanId == backendCall.ParentSpanId);
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal(clientSpan, request.ParentSpanId);
        Assert.Equal(ns, backendCall.GetTagItem("prism.namespace"));
        Assert.Equal("memstore", backendCall.GetTagItem("prism.backend"));
    }

    [Fact]
    public async Task APublishedMessage_ContinuesThePublishersTrace_InTheSubscribersDeliverySpan()
    {
        var recorded = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ProxyTelemetry.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var server = fixture.Server;
        var ns = await server.CreateNamespaceAsync();
        using var subscription = await server.PubSub.SubscribeAsync("traced", ProxyServer.Call(server.TokenFor("bob@example.com"), ns), "bob");
        var traceId = ActivityTraceId.CreateRandom();
        var publisher = ProxyServer.Call(server.TokenFor("alice@example.com"), ns);
        publisher.Headers!.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        var published = await server.PubSub.PublishAsync(new PublishRequest { Topic = "traced", Payload = ByteString.CopyFromUtf8("hi") }, publisher);
        var message = await subscription.NextAsync();

        var publish = Assert.Single(recorded, a => a.TraceId == traceId && a.OperationName == "pubsub.publish");
        Assert.Equal($"00-{traceId}-{publish.SpanId}-01", message.Metadata["traceparent"]);
        Activity? deliver = null;
        await Timeouts.WaitUntilAsync(() => Task.FromResult((deliver = recorded.SingleOrDefault(a => a.OperationName == "pubsub.deliver" && a.TraceId == traceId)) is not null),
            "the delivery span ends");
        Assert.Equal(ActivityKind.Consumer, deliver!.Kind);
        Assert.Equal(publish.SpanId, deliver.ParentSpanId);
        Assert.Equal(ns, deliver.GetTagItem("prism.namespace"));
        Assert.Equal("memstore", deliver.GetTagItem("messaging.system"));
        Assert.Equal(published.MessageId, deliver.GetTagItem("messaging.message.id"));
        Assert.Equal("bob", deliver.GetTagItem("prism.subscriber_id"));
        Assert.Single(deliver.Links);
    }

    [Fact]
    public async Task AQueuedMessage_ContinuesThePublishersTrace_InTheMembersDeliverySpan()
    {
        var recorded = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ProxyTelemetry.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var server = fixture.Server;
        var ns = await server.CreateNamespaceAsync(patterns: ["queue"]);
        var traceId = ActivityTraceId.CreateRandom();
        var publisher = ProxyServer.Call(server.TokenFor("alice@example.com"), ns);
        publisher.Headers!.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        var published = await server.Queue.PublishAsync(QueueMember.Message("traced", "hi"), publisher);
        await using var member = await QueueMember.JoinAsync(server.Queue, ProxyServer.Call(server.TokenFor("bob@example.com"), ns),
            new Join { Queue = "traced", Group = "readers", ConsumerId = "bob-1" });
        var message = await member.NextAsync();
        Assert.True(await member.AckAsync(message.MessageId));

        var publish = Assert.Single(recorded, a => a.TraceId == traceId && a.OperationName == "queue.publish");
        Assert.Equal(("memstore", "traced", ns), (publish.GetTagItem("messaging.system"), publish.GetTagItem("messaging.destination.name"), publish.GetTagItem("prism.namespace")));
        Assert.Equal($"00-{traceId}-{publish.SpanId}-01", message.Metadata["traceparent"]);
        Activity? deliver = null;
        await Timeouts.WaitUntilAsync(() => Task.FromResult((deliver = recorded.SingleOrDefault(a => a.OperationName == "queue.deliver" && a.TraceId == traceId)) is not null),
            "the delivery span ends");
        Assert.Equal(ActivityKind.Consumer, deliver!.Kind);
        Assert.Equal(publish.SpanId, deliver.ParentSpanId);
        Assert.Equal((ns, "memstore", "memstore", published.MessageId, "readers", "bob-1", 1),
            (deliver.GetTagItem("prism.namespace"), deliver.GetTagItem("prism.backend"), deliver.GetTagItem("messaging.system"),
             deliver.GetTagItem("messaging.message.id"), deliver.GetTagItem("messaging.consumer.group.name"), deliver.GetTagItem("prism.consumer_id"),
             deliver.GetTagItem("messaging.message.delivery_count")));
        Assert.Single(deliver.Links);
        await Timeouts.WaitUntilAsync(() => Task.FromResult(recorded.Any(a => a.OperationName == "queue.ack" && (string?)a.GetTagItem("prism.namespace") == ns)),
            "the ack has a span");
    }
}
