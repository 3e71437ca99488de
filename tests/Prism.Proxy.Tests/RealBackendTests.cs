using Google.Protobuf;
using NATS.Client.Core;
using Prism.Backends.Drivers.Nats;
using Prism.Interfaces.KeyValue;
using Prism.Interfaces.PubSub;
using Prism.Proxy.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Proxy.Tests;

/// <summary>A smoke test per real backend through the proxy: redis, postgres, sqlite (key-value), nats, postgres (pub/sub).</summary>
[Collection(ServersCollection.Name)]
public sealed class RealBackendTests(RedisFixture redis, NatsFixture nats, PostgresFixture postgres) : IAsyncLifetime
{
    private ProxyServer _server = null!;

    public async Task InitializeAsync() => _server = await ProxyServer.StartAsync(new Dictionary<string, string?>
    {
        ["backends:redis:url"] = redis.Server.Configuration,
        ["backends:nats:url"] = nats.Server.Url,
        ["backends:postgres:url"] = await postgres.CreateDatabaseAsync(),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("redis")]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task KeyValue_SetGetTtlBatch_ThroughTheProxy(string backend)
    {
        var options = ProxyServer.Call(_server.TokenFor(), await _server.CreateNamespaceAsync(new Dictionary<string, string> { ["keyvalue"] = backend }));
        await _server.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8(backend) }, options);
        Assert.Equal(backend, (await _server.KeyValue.GetAsync(new GetRequest { Key = "k" }, options)).Value.ToStringUtf8());
        Assert.False((await _server.KeyValue.GetAsync(new GetRequest { Key = "missing" }, options)).Found);

        Assert.True((await _server.Ttl.ExpireAsync(new ExpireRequest { Key = "k", TtlSeconds = 60 }, options)).KeyExisted);
        Assert.InRange((await _server.Ttl.GetTTLAsync(new GetTTLRequest { Key = "k" }, options)).TtlSeconds, 1, 60);

        var batch = await _server.Batch.BatchGetAsync(new BatchGetRequest { Keys = { "missing", "k" } }, options);
        Assert.Equal([false, true], batch.Results.Select(r => r.Found));
        Assert.True((await _server.KeyValue.DeleteAsync(new DeleteRequest { Key = "k" }, options)).Success);
    }

    [Theory]
    [InlineData("nats")]
    [InlineData("postgres")]
    public async Task PubSub_PublishSubscribe_ThroughTheProxy(string backend)
    {
        var options = ProxyServer.Call(_server.TokenFor(), await _server.CreateNamespaceAsync(new Dictionary<string, string> { ["pubsub"] = backend }));
        using var subscription = await _server.PubSub.SubscribeAsync("events", options);
        for (var i = 0; i < 3; i++)
        {
            await _server.PubSub.PublishAsync(new PublishRequest { Topic = "events", Payload = ByteString.CopyFromUtf8($"{backend}-{i}") }, options);
        }

        for (var i = 0; i < 3; i++)
        {
            var message = await subscription.NextAsync();
            Assert.Equal($"{backend}-{i}", message.Payload.ToStringUtf8());
            Assert.Equal("user:dev@example.com", message.Metadata["prism-publisher"]);
        }
    }

    [Fact]
    public async Task MessagePublishedThroughTheProxy_IsARawNatsBody_WithTheDocumentedHeaders_AndNoToken()
    {
        var ns = await _server.CreateNamespaceAsync(new Dictionary<string, string> { ["pubsub"] = "nats" });
        var token = _server.TokenFor("alice@example.com");
        await using var plain = new NatsConnection(new NatsOpts { Url = nats.Server.Url });
        await using var raw = await plain.SubscribeCoreAsync<byte[]>(NatsSubjects.Of(ns, "events")).AsTask().WaitAsync(Timeouts.Await);
        await plain.PingAsync().AsTask().WaitAsync(Timeouts.Await);

        var published = await _server.PubSub.PublishAsync(new PublishRequest
        {
            Topic = "events",
            Payload = ByteString.CopyFromUtf8("body"),
            Metadata = { ["Kind"] = "x" },
        }, ProxyServer.Call(token, ns));

        var message = await raw.Msgs.ReadAsync().AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal("body"u8.ToArray(), message.Data);
        var headers = message.Headers!.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.Ordinal);
        Assert.Equal(published.MessageId, headers["Nats-Msg-Id"]);
        Assert.Equal("user%3Aalice%40example.com", headers["prism-publisher-subject"]);
        Assert.Equal(ns, headers["prism-namespace"]);
        Assert.Equal("x", headers["prism-md-%4Bind"]);
        Assert.Subset(
            new HashSet<string>(["Nats-Msg-Id", "prism-published-at", "prism-publisher-subject", "prism-publisher-client-id",
                "prism-session", "prism-namespace", "traceparent", "tracestate", "prism-md-%4Bind"]),
            headers.Keys.ToHashSet());
        Assert.DoesNotContain(headers.Values, v => v.Contains(token, StringComparison.Ordinal) || v.Contains(token[..20], StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlainNatsMessage_ReachesAGrpcSubscriber_WithoutContext_AndTheStreamGoesOn()
    {
        var ns = await _server.CreateNamespaceAsync(new Dictionary<string, string> { ["pubsub"] = "nats" });
        var options = ProxyServer.Call(_server.TokenFor("alice@example.com"), ns);
        using var subscription = await _server.PubSub.SubscribeAsync("events", options);
        await using var plain = new NatsConnection(new NatsOpts { Url = nats.Server.Url });

        await plain.PublishAsync(NatsSubjects.Of(ns, "events"), "from outside"u8.ToArray()).AsTask().WaitAsync(Timeouts.Await);
        var foreign = await subscription.NextAsync();
        await _server.PubSub.PublishAsync(new PublishRequest { Topic = "events", Payload = ByteString.CopyFromUtf8("from prism") }, options);
        var next = await subscription.NextAsync();

        Assert.Equal("from outside", foreign.Payload.ToStringUtf8());
        Assert.Empty(foreign.Metadata);
        Assert.Equal("from prism", next.Payload.ToStringUtf8());
        Assert.Equal("user:alice@example.com", next.Metadata["prism-publisher"]);
    }
}
