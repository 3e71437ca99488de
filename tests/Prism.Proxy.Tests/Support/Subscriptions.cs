using Grpc.Core;
using Prism.Interfaces.PubSub;

namespace Prism.Proxy.Tests.Support;

/// <summary>Subscribe calls that are live before the test publishes.</summary>
public static class Subscriptions
{
    /// <summary>Starts a subscription and waits for the response headers the proxy sends once it is live.</summary>
    public static async Task<AsyncServerStreamingCall<Message>> SubscribeAsync(this PubSubBasicInterface.PubSubBasicInterfaceClient client,
        string topic, CallOptions options, string subscriberId = "")
    {
        var call = client.Subscribe(new SubscribeRequest { Topic = topic, SubscriberId = subscriberId }, options);
        await call.ResponseHeadersAsync.WaitAsync(Timeouts.Await);
        return call;
    }

    /// <summary>The next message; fails when the stream ends or nothing arrives in time.</summary>
    public static async Task<Message> NextAsync(this AsyncServerStreamingCall<Message> call)
    {
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeouts.Await), "the stream ended");
        return call.ResponseStream.Current;
    }
}
