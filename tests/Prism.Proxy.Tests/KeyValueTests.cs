using Google.Protobuf;
using Grpc.Core;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>KeyValue basic, TTL and batch through the proxy on the default backend (memstore).</summary>
public class KeyValueTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private ProxyServer Server => fixture.Server;

    [Fact]
    public async Task SetPastTheMemstoreMemoryLimit_IsResourceExhausted_NamingIt_AndKeepsWhatWasStored()
    {
        await using var server = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["backends:memstore:keyvalue_memory_mb"] = "1" });
        var options = ProxyServer.Call(server.TokenFor(), await server.CreateNamespaceAsync());
        var value = ByteString.CopyFrom(new byte[100 * 1024]);
        for (var i = 0; i < 10; i++)
        {
            await server.KeyValue.SetAsync(new SetRequest { Key = "k" + i, Value = value }, options);
        }

        var full = await Rpc.FailsAsync(StatusCode.ResourceExhausted, server.KeyValue.SetAsync(new SetRequest { Key = "k10", Value = value }, options));
        Assert.StartsWith("memstore key-value store is full", full.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(value, (await server.KeyValue.GetAsync(new GetRequest { Key = "k9" }, options)).Value);
    }

    [Fact]
    public async Task SetGetExistsDelete_RoundTrip_WithEmptyErrorFields()
    {
        var options = ProxyServer.Call(Server.TokenFor(), await Server.CreateNamespaceAsync());
        var set = await Server.KeyValue.SetAsync(new SetRequest { Key = "a", Value = ByteString.CopyFromUtf8("one") }, options);
        Assert.True(set.Success);
        Assert.Equal("", set.Error);

        var get = await Server.KeyValue.GetAsync(new GetRequest { Key = "a" }, options);
        Assert.True(get.Found);
        Assert.Equal("one", get.Value.ToStringUtf8());
        Assert.Equal("", get.Error);
        Assert.True((await Server.KeyValue.ExistsAsync(new ExistsRequest { Key = "a" }, options)).Exists);

        var delete = await Server.KeyValue.DeleteAsync(new DeleteRequest { Key = "a" }, options);
        Assert.True(delete.Success);
        Assert.False((await Server.KeyValue.ExistsAsync(new ExistsRequest { Key = "a" }, options)).Exists);
    }

    [Fact]
    public async Task MissingKey_IsNotFound_AndDeletingIt_Succeeds()
    {
        var options = ProxyServer.Call(Server.TokenFor(), await Server.CreateNamespaceAsync());
        var get = await Server.KeyValue.GetAsync(new GetRequest { Key = "missing" }, options);
        Assert.False(get.Found);
        Assert.True(get.Value.IsEmpty);
        Assert.Equal("", get.Error);
        var delete = await Server.KeyValue.DeleteAsync(new DeleteRequest { Key = "missing" }, options);
        Assert.True(delete.Success);
        Assert.Equal("", delete.Error);
    }

    [Fact]
    public async Task Namespaces_AreIsolated()
    {
        var token = Server.TokenFor();
        var first = ProxyServer.Call(token, await Server.CreateNamespaceAsync());
        var second = ProxyServer.Call(token, await Server.CreateNamespaceAsync());
        await Server.KeyValue.SetAsync(new SetRequest { Key = "shared", Value = ByteString.CopyFromUtf8("1") }, first);
        Assert.False((await Server.KeyValue.GetAsync(new GetRequest { Key = "shared" }, second)).Found);
    }

    [Fact]
    public async Task Ttl_ExpirePersistAndGetTtl()
    {
        var ns = await Server.CreateNamespaceAsync();
        var options = ProxyServer.Call(Server.TokenFor(), ns);
        Assert.Equal(-2, (await Server.Ttl.GetTTLAsync(new GetTTLRequest { Key = "t" }, options)).TtlSeconds);
        var missing = await Server.Ttl.ExpireAsync(new ExpireRequest { Key = "t", TtlSeconds = 10 }, options);
        Assert.False(missing.KeyExisted);

        await Server.KeyValue.SetAsync(new SetRequest { Key = "t", Value = ByteString.CopyFromUtf8("v") }, options);
        Assert.Equal(-1, (await Server.Ttl.GetTTLAsync(new GetTTLRequest { Key = "t" }, options)).TtlSeconds);
        var expire = await Server.Ttl.ExpireAsync(new ExpireRequest { Key = "t", TtlSeconds = 100 }, options);
        Assert.True(expire.Success);
        Assert.True(expire.KeyExisted);
        Assert.InRange((await Server.Ttl.GetTTLAsync(new GetTTLRequest { Key = "t" }, options)).TtlSeconds, 1, 100);

        var persist = await Server.Ttl.PersistAsync(new PersistRequest { Key = "t" }, options);
        Assert.True(persist.ExpirationRemoved);
        Assert.Equal(-1, (await Server.Ttl.GetTTLAsync(new GetTTLRequest { Key = "t" }, options)).TtlSeconds);

        await Server.Ttl.ExpireAsync(new ExpireRequest { Key = "t", TtlSeconds = 1 }, options);
        await Timeouts.WaitUntilAsync(async () => !(await Server.KeyValue.GetAsync(new GetRequest { Key = "t" }, ProxyServer.Call(Server.TokenFor(), ns))).Found,
            "the key expires", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Batch_ReturnsOneResultPerItem_InOrder()
    {
        var options = ProxyServer.Call(Server.TokenFor(), await Server.CreateNamespaceAsync());
        var set = await Server.Batch.BatchSetAsync(new BatchSetRequest
        {
            Requests =
            {
                new SetRequest { Key = "b1", Value = ByteString.CopyFromUtf8("1") },
                new SetRequest { Key = "b2", Value = ByteString.Empty },
                new SetRequest { Key = "b3", Value = ByteString.CopyFromUtf8("3") },
            },
        }, options);
        Assert.True(set.AllSuccess);
        Assert.Equal(3, set.Results.Count);
        Assert.All(set.Results, r => Assert.Equal("", r.Error));

        var get = await Server.Batch.BatchGetAsync(new BatchGetRequest { Keys = { "b3", "missing", "b1", "b2" } }, options);
        Assert.Equal(3, get.FoundCount);
        Assert.Equal(["3", "", "1", ""], get.Results.Select(r => r.Value.ToStringUtf8()));
        Assert.Equal([true, false, true, true], get.Results.Select(r => r.Found));

        var delete = await Server.Batch.BatchDeleteAsync(new BatchDeleteRequest { Keys = { "b1", "missing" } }, options);
        Assert.True(delete.AllSuccess);
        Assert.Equal(2, delete.Results.Count);
        Assert.False((await Server.KeyValue.ExistsAsync(new ExistsRequest { Key = "b1" }, options)).Exists);
    }
}
