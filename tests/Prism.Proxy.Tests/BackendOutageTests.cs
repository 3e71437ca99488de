using Google.Protobuf;
using Grpc.Core;
using Prism.Interfaces.KeyValue;
using Prism.Interfaces.PubSub;
using Prism.Proxy.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Proxy.Tests;

/// <summary>
/// A backend outage as clients and operators see it: every failed call gets a short stable message naming the
/// instance, its type and a code (no address, key layout or driver statistics), and the log gets the details
/// once per outage, never the user's key, then one line when the backend answers again.
/// </summary>
public sealed class BackendOutageTests
{
    private const int FailedCalls = 25;
    private const int UnavailableEvent = 5103;
    private const int RestoredEvent = 5110;
    private const string UserKey = "customer-4711-card";

    [Fact]
    public async Task RedisDown_ClientsGetAStableMessage_TheLogGetsTheOutageOnce()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var server = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["backends:redis:url"] = redis.Configuration });
        var options = ProxyServer.Call(server.TokenFor(), await server.CreateNamespaceAsync(new Dictionary<string, string> { ["keyvalue"] = "redis" }));
        await server.KeyValue.SetAsync(new SetRequest { Key = UserKey, Value = ByteString.CopyFromUtf8("v") }, options);

        await redis.StopAsync();
        for (var i = 0; i < FailedCalls; i++)
        {
            var error = await Rpc.FailsAsync(StatusCode.Unavailable, server.KeyValue.GetAsync(new GetRequest { Key = UserKey }, options));
            Assert.Matches("^backend 'redis' \\(redis\\) unavailable: (unreachable|timeout|connection lost)$", error.Status.Detail);
        }

        await redis.StartAsync();
        await Timeouts.WaitUntilAsync(async () =>
        {
            try
            {
                return (await server.KeyValue.GetAsync(new GetRequest { Key = UserKey }, options)).Found is var _;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, "redis answers again through the proxy", TimeSpan.FromSeconds(30));

        AssertOutageLoggedOnce(server, "redis", redis.Configuration);
    }

    [Fact]
    public async Task NatsDown_ClientsGetAStableMessage_TheLogGetsTheOutageOnce()
    {
        await using var nats = await NatsServer.StartNewAsync();
        await using var server = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["backends:nats:url"] = nats.Url });
        var options = ProxyServer.Call(server.TokenFor(), await server.CreateNamespaceAsync(new Dictionary<string, string> { ["pubsub"] = "nats" }));
        var publish = new PublishRequest { Topic = UserKey, Payload = ByteString.CopyFromUtf8("m") };
        await server.PubSub.PublishAsync(publish, options);

        await nats.StopAsync();
        for (var i = 0; i < FailedCalls; i++)
        {
            var error = await Rpc.FailsAsync(StatusCode.Unavailable, server.PubSub.PublishAsync(publish, options));
            Assert.Matches("^backend 'nats' \\(nats\\) unavailable: (unreachable|reconnecting|timeout|connection lost)$", error.Status.Detail);
        }

        await nats.StartAsync();
        await Timeouts.WaitUntilAsync(async () =>
        {
            try
            {
                await server.PubSub.PublishAsync(publish, options);
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, "nats answers again through the proxy", TimeSpan.FromSeconds(30));

        AssertOutageLoggedOnce(server, "nats", new Uri(nats.Url).Authority);
    }

    private static void AssertOutageLoggedOnce(ProxyServer server, string backend, string address)
    {
        var entries = server.App.Logs.Entries;
        var down = Assert.Single(entries, e => e.EventId.Id == UnavailableEvent);
        Assert.Contains(backend, down.Message, StringComparison.Ordinal);
        Assert.Contains(address.Split(':')[^1], down.Message, StringComparison.Ordinal); // the operator learns where
        var back = Assert.Single(entries, e => e.EventId.Id == RestoredEvent);
        Assert.Matches("[1-9][0-9]* calls failed", back.Message);
        Assert.DoesNotContain(entries, e => e.Message.Contains(UserKey, StringComparison.Ordinal)
            || (e.Exception?.ToString().Contains(UserKey, StringComparison.Ordinal) ?? false));
    }
}
