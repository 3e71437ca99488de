using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Prism.Interfaces.PubSub;
using Prism.Proxy.Sessions;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>PubSub through the proxy on memstore: order, metadata, unsubscribe, slow subscribers, cancellation.</summary>
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
