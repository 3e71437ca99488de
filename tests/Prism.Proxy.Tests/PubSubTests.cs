using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Prism.Interfaces.PubSub;
using Prism.Proxy.Sessions;
using Prism.Proxy.Tests.Support;
using Prism.Testing.Oidc;

namespace Prism.Proxy.Tests;

/// <summary>PubSub through the proxy on memstore: order, metadata, message context, unsubscribe, slow subscribers, cancellation.</summary>
public class PubSubTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private ProxyServer Server => fixture.Server;

    [Fact]
    public async Task Subscriber_ReceivesMessages_InPublishOrder_WithMetadata()
    {
        var options = ProxyServer.Call(Server.TokenFor(), await Server.CreateNamespaceAsync());
        using var subscription = await Server.PubSub.SubscribeAsync("orders", options);
        for (var i = 0; i < 5; i++)
        {
            var published = await Server.PubSub.PublishAsync(new PublishRequest
            {
                Topic = "orders",
                Payload = ByteString.CopyFromUtf8($"m{i}"),
                Metadata = { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            }, options);
            Assert.True(published.Success);
            Assert.NotEmpty(published.MessageId);
            Assert.Equal("", published.Error);
        }

        for (var i = 0; i < 5; i++)
        {
            var message = await subscription.NextAsync();
            Assert.Equal($"m{i}", message.Payload.ToStringUtf8());
            Assert.Equal("orders", message.Topic);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), message.Metadata["n"]);
            Assert.True(message.Timestamp > 0);
        }
    }

    [Fact]
    public async Task Subscriber_SeesWhoPublished_AndTheTrace_AndPublishersCannotSpoofEither()
    {
        var ns = await Server.CreateNamespaceAsync();
        using var subscription = await Server.PubSub.SubscribeAsync("audit", ProxyServer.Call(Server.TokenFor("bob@example.com"), ns));
        var publisher = ProxyServer.Call(Server.TokenFor("alice@example.com"), ns);
        var traceId = ActivityTraceId.CreateRandom();
        publisher.Headers!.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        await Server.PubSub.PublishAsync(new PublishRequest
        {
            Topic = "audit",
            Payload = ByteString.CopyFromUtf8("signed"),
            Metadata = { ["kind"] = "note", ["prism-publisher"] = "user:mallory@example.com", ["PRISM-SESSION"] = "ses-forged", ["TraceParent"] = "forged" },
        }, publisher);

        var message = await subscription.NextAsync();
        Assert.Equal("note", message.Metadata["kind"]);
        Assert.Equal("user:alice@example.com", message.Metadata["prism-publisher"]);
        Assert.Equal(TestOidcIssuer.DefaultAudience, message.Metadata["prism-publisher-client-id"]);
        Assert.StartsWith("ses-", message.Metadata["prism-session"], StringComparison.Ordinal);
        Assert.Equal(ns, message.Metadata["prism-namespace"]);
        Assert.StartsWith($"00-{traceId}-", message.Metadata["traceparent"], StringComparison.Ordinal);
        Assert.DoesNotContain(message.Metadata.Keys, k => k is "PRISM-SESSION" or "TraceParent");
        Assert.DoesNotContain(message.Metadata.Values, v => v.Contains("forged", StringComparison.Ordinal) || v.Contains("mallory", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unsubscribe_EndsTheStream()
    {
        var options = ProxyServer.Call(Server.TokenFor(), await Server.CreateNamespaceAsync());
        using var subscription = await Server.PubSub.SubscribeAsync("t", options, "sub-1");
        var response = await Server.PubSub.UnsubscribeAsync(new UnsubscribeRequest { Topic = "t", SubscriberId = "sub-1" }, options);
        Assert.True(response.Success);
        Assert.False(await subscription.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task SlowSubscriber_IsEnded_WithResourceExhausted()
    {
        var options = ProxyServer.Call(Server.TokenFor(), await Server.CreateNamespaceAsync());
        using var subscription = await Server.PubSub.SubscribeAsync("flood", options);
        var payload = ByteString.CopyFrom(new byte[256 * 1024]);

        // Unread messages fill the HTTP/2 window, then the driver's buffer of 4.
        for (var i = 0; i < 60; i++)
        {
            await Server.PubSub.PublishAsync(new PublishRequest { Topic = "flood", Payload = payload }, options);
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await subscription.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeouts.Await))
            {
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("subscriber too slow", error.Status.Detail);
    }

    [Fact]
    public async Task ClientCancellation_EndsTheDriverSubscription()
    {
        var ns = await Server.CreateNamespaceAsync();
        using var cancel = new CancellationTokenSource();
        var subscription = await Server.PubSub.SubscribeAsync("t", ProxyServer.Call(Server.TokenFor("cancel@example.com"), ns, cancel.Token));
        var sessions = Server.App.Services.GetRequiredService<SessionRegistry>();
        Assert.Equal(1, sessions.Sessions.Single(s => s.Namespace == ns).OpenStreams);

        await cancel.CancelAsync();
        subscription.Dispose();
        await Timeouts.WaitUntilAsync(() => Task.FromResult(sessions.Sessions.Single(s => s.Namespace == ns).OpenStreams == 0), "the stream is released");
    }
}
