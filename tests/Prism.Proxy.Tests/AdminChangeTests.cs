using Google.Protobuf;
using Grpc.Core;
using Prism.ControlStore;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>Namespace changes made in the control store apply to a running proxy without a restart.</summary>
public class AdminChangeTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private ProxyServer Server => fixture.Server;

    [Fact]
    public async Task NamespaceCreatedAfterAFailedLookup_IsServedAtOnce()
    {
        var name = TestNamespaces.NewName("late");
        var options = ProxyServer.Call(Server.TokenFor(), name);
        await Rpc.FailsAsync(StatusCode.NotFound, Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, options));

        await Server.Store.CreateAsync(TestNamespaces.Record(name));

        var get = await Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, options);
        Assert.False(get.Found);
    }

    [Fact]
    public async Task BackendBindingChange_AppliesWithoutRestart()
    {
        var name = await Server.CreateNamespaceAsync();
        var token = Server.TokenFor();
        await Server.KeyValue.SetAsync(new SetRequest { Key = "where", Value = ByteString.CopyFromUtf8("memstore") }, ProxyServer.Call(token, name));

        var record = (await Server.Store.GetNamespaceAsync(name, CancellationToken.None).WaitAsync(Timeouts.Await))!;
        await Server.Store.UpdateNamespaceAsync(record with { Slots = NamespaceRecord.PrimarySlots(new Dictionary<string, string> { ["keyvalue"] = "sqlite" }) },
            TestNamespaces.Audit("UpdateNamespace"), CancellationToken.None).WaitAsync(Timeouts.Await);

        // The sqlite backend does not hold the key written to memstore.
        await Timeouts.WaitUntilAsync(async () => !(await Server.KeyValue.GetAsync(new GetRequest { Key = "where" }, ProxyServer.Call(token, name))).Found,
            "the namespace is served by sqlite");
        await Server.KeyValue.SetAsync(new SetRequest { Key = "where", Value = ByteString.CopyFromUtf8("sqlite") }, ProxyServer.Call(token, name));
        Assert.Equal("sqlite", (await Server.KeyValue.GetAsync(new GetRequest { Key = "where" }, ProxyServer.Call(token, name))).Value.ToStringUtf8());
    }

    [Fact]
    public async Task AccessGroupChange_AppliesWithoutRestart()
    {
        var name = await Server.CreateNamespaceAsync();
        var token = Server.TokenFor("carol@example.com", "team-c");
        await Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(token, name));

        var record = (await Server.Store.GetNamespaceAsync(name, CancellationToken.None).WaitAsync(Timeouts.Await))!;
        await Server.Store.UpdateNamespaceAsync(record with { AccessGroups = ["team-d"] }, TestNamespaces.Audit("UpdateNamespace"), CancellationToken.None)
            .WaitAsync(Timeouts.Await);

        await Timeouts.WaitUntilAsync(async () =>
        {
            try
            {
                await Server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(token, name));
                return false;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
            {
                return true;
            }
        }, "carol is refused");
    }
}
