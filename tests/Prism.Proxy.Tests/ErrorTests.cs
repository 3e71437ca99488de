using Google.Protobuf;
using Grpc.Core;
using Prism.Interfaces.KeyValue;
using Prism.Interfaces.PubSub;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>Every refusal of the data plane, with its status code and a message naming the cause.</summary>
public class ErrorTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private ProxyServer Server => fixture.Server;

    [Fact]
    public async Task AClientResettingItsConsumeStream_IsNotLoggedAsAFailure()
    {
        var ns = await Server.CreateNamespaceAsync(patterns: ["queue"]);
        using var leave = new CancellationTokenSource();
        var consume = Server.Queue.Consume(ProxyServer.Call(Server.TokenFor(), ns).WithCancellationToken(leave.Token));
        await consume.RequestStream.WriteAsync(new Prism.Interfaces.Queue.ConsumeRequest { Join = new Prism.Interfaces.Queue.Join { Queue = "jobs", Group = "g" } });
        Assert.True(await consume.ResponseStream.MoveNext(CancellationToken.None));

        await leave.CancelAsync(); // RST_STREAM: the server's read of the request stream fails with an IOException
        consume.Dispose();
        // The proxy is still serving, and a call after the reset is answered normally.
        await Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(Server.TokenFor(), await Server.CreateNamespaceAsync()));
        await Task.Delay(500);

        Assert.DoesNotContain(Server.App.Logs.Entries, e => e.EventId.Id == 8030 && e.Message.Contains("Consume", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoToken_IsUnauthenticated()
    {
        var ns = await Server.CreateNamespaceAsync();
        var error = await Rpc.FailsAsync(StatusCode.Unauthenticated, Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(null, ns)));
        Assert.Contains("authorization", error.Status.Detail);
    }

    [Fact]
    public async Task InvalidToken_IsUnauthenticated_WithTheReason()
    {
        var ns = await Server.CreateNamespaceAsync();
        var expired = Server.Issuer.MintToken("late@example.com", [], lifetime: TimeSpan.FromHours(-1));
        var error = await Rpc.FailsAsync(StatusCode.Unauthenticated, Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(expired, ns)));
        Assert.Contains("expired", error.Status.Detail, StringComparison.OrdinalIgnoreCase);

        await Rpc.FailsAsync(StatusCode.Unauthenticated, Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call("not-a-jwt", ns)));
    }

    [Fact]
    public async Task MissingNamespaceMetadata_IsInvalidArgument_NamingTheHeader()
    {
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(Server.TokenFor(), null)));
        Assert.Contains("x-prism-namespace", error.Status.Detail);
    }

    [Fact]
    public async Task UnknownNamespace_IsNotFound()
    {
        var error = await Rpc.FailsAsync(StatusCode.NotFound, Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(Server.TokenFor(), "no-such-namespace")));
        Assert.Contains("no-such-namespace", error.Status.Detail);
    }

    [Fact]
    public async Task CallerOutsideTheAccessGroups_IsPermissionDenied_MembersAreServed()
    {
        var ns = await Server.CreateNamespaceAsync(accessGroups: ["team-a"]);
        var error = await Rpc.FailsAsync(StatusCode.PermissionDenied,
            Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(Server.TokenFor("bob@example.com", "team-b"), ns)));
        Assert.Contains("team-a", error.Status.Detail);

        var member = await Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(Server.TokenFor("ann@example.com", "team-a"), ns));
        Assert.False(member.Found);
    }

    [Fact]
    public async Task PatternTheNamespaceDoesNotOffer_IsUnimplemented()
    {
        var ns = await Server.CreateNamespaceAsync(patterns: ["pubsub"]);
        var error = await Rpc.FailsAsync(StatusCode.Unimplemented, Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(Server.TokenFor(), ns)));
        Assert.Contains("keyvalue", error.Status.Detail);
    }

    [Fact]
    public async Task BackendWithoutTheCapability_IsUnimplemented_NamingCapabilityAndBackend()
    {
        var natsForKeyValue = await Server.CreateNamespaceAsync(backends: new Dictionary<string, string> { ["keyvalue"] = "nats" });
        var error = await Rpc.FailsAsync(StatusCode.Unimplemented,
            Server.KeyValue.SetAsync(new SetRequest { Key = "k" }, ProxyServer.Call(Server.TokenFor(), natsForKeyValue)));
        Assert.Contains("'nats'", error.Status.Detail);
        Assert.Contains("keyvalue", error.Status.Detail);

        var ns = await Server.CreateNamespaceAsync();
        var subscribe = Server.PubSub.Subscribe(new SubscribeRequest { Topic = "t", Options = { ["durable"] = "true" } }, ProxyServer.Call(Server.TokenFor(), ns));
        var durable = await Rpc.FailsAsync(StatusCode.Unimplemented, () => subscribe.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("pubsub.durable", durable.Status.Detail);
        Assert.Contains("'memstore'", durable.Status.Detail);
    }

    [Fact]
    public async Task BackendDown_IsUnavailable_NamingTheBackend()
    {
        var ns = await Server.CreateNamespaceAsync(backends: new Dictionary<string, string> { ["keyvalue"] = "redis" });
        var error = await Rpc.FailsAsync(StatusCode.Unavailable, Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(Server.TokenFor(), ns)));
        Assert.Contains("'redis'", error.Status.Detail);
    }

    [Fact]
    public async Task EmptyKey_IsInvalidArgument()
    {
        var ns = await Server.CreateNamespaceAsync();
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, Server.KeyValue.SetAsync(new SetRequest { Key = "" }, ProxyServer.Call(Server.TokenFor(), ns)));
        Assert.Contains("key must not be empty", error.Status.Detail);
    }

    [Fact]
    public async Task OversizedKey_IsInvalidArgument_NamingTheLimit()
    {
        var ns = await Server.CreateNamespaceAsync();
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument,
            Server.KeyValue.GetAsync(new GetRequest { Key = new string('k', 1025) }, ProxyServer.Call(Server.TokenFor(), ns)));
        Assert.Contains("1024 bytes", error.Status.Detail);
        Assert.Contains("PRISM_PROXY_MAX_KEY_BYTES", error.Status.Detail);
    }

    [Fact]
    public async Task OneMebibyteValue_Passes_OneByteMore_IsInvalidArgument_NamingTheLimit()
    {
        var ns = await Server.CreateNamespaceAsync();
        var options = ProxyServer.Call(Server.TokenFor(), ns);
        var value = new byte[1024 * 1024];
        Random.Shared.NextBytes(value);
        await Server.KeyValue.SetAsync(new SetRequest { Key = "big", Value = ByteString.CopyFrom(value) }, options);
        var read = await Server.KeyValue.GetAsync(new GetRequest { Key = "big" }, options);
        Assert.Equal(value, read.Value.ToByteArray());

        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument,
            Server.KeyValue.SetAsync(new SetRequest { Key = "big", Value = ByteString.CopyFrom(new byte[(1024 * 1024) + 1]) }, options));
        Assert.Contains("1048576 bytes", error.Status.Detail);
        Assert.Contains("PRISM_PROXY_MAX_VALUE_BYTES", error.Status.Detail);
    }

    [Fact]
    public async Task ValueAboveTheNamespaceQuota_IsInvalidArgument_NamingTheQuota()
    {
        var ns = await Server.CreateNamespaceAsync(maxValueBytes: 10);
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument,
            Server.PubSub.PublishAsync(new PublishRequest { Topic = "t", Payload = ByteString.CopyFrom(new byte[11]) }, ProxyServer.Call(Server.TokenFor(), ns)));
        Assert.Contains("max_value_bytes", error.Status.Detail);
    }

    [Fact]
    public async Task CallsAboveTheNamespaceRequestQuota_AreResourceExhausted_NamingTheQuota_AndOtherNamespacesAreNotLimited()
    {
        var limited = await Server.CreateNamespaceAsync(maxRequestsPerSecond: 3);
        var unlimited = await Server.CreateNamespaceAsync();
        var token = Server.TokenFor();

        // Far more calls than the quota, back to back: the bucket holds 3 and refills 3 a second.
        var outcomes = new List<StatusCode>();
        for (var i = 0; i < 30; i++)
        {
            try
            {
                await Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(token, limited));
                outcomes.Add(StatusCode.OK);
            }
            catch (RpcException e)
            {
                outcomes.Add(e.StatusCode);
                Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
                Assert.Contains("max_requests_per_second", e.Status.Detail);
                Assert.Contains(limited, e.Status.Detail);
            }
        }

        Assert.True(outcomes.Count(o => o == StatusCode.OK) >= 3, string.Join(", ", outcomes));
        Assert.Contains(StatusCode.ResourceExhausted, outcomes);
        for (var i = 0; i < 30; i++)
        {
            await Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(token, unlimited));
        }
    }

    [Fact]
    public async Task BatchAboveTheItemLimit_IsInvalidArgument_NamingTheLimit()
    {
        var ns = await Server.CreateNamespaceAsync();
        var request = new BatchGetRequest { Keys = { Enumerable.Range(0, 11).Select(i => $"k{i}") } };
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, Server.Batch.BatchGetAsync(request, ProxyServer.Call(Server.TokenFor(), ns)));
        Assert.Contains("PRISM_PROXY_MAX_BATCH_ITEMS", error.Status.Detail);
    }
}
