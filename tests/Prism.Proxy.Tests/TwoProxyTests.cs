using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Admin;
using Prism.Admin.V1;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;
using Prism.Testing;
using Prism.Testing.Oidc;
using Prism.Testing.Servers;

namespace Prism.Proxy.Tests;

/// <summary>
/// Two proxies and an admin module sharing one PostgreSQL store: operator actions through the admin
/// API reach both proxies, and both proxies' sessions are listed.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class TwoProxyTests(PostgresFixture postgres) : IAsyncLifetime
{
    private TestOidcIssuer _issuer = null!;
    private ModuleApp _admin = null!;
    private GrpcChannel _adminChannel = null!;
    private ProxyServer _first = null!;
    private ProxyServer _second = null!;

    private AdminService.AdminServiceClient Admin => new(_adminChannel);

    public async Task InitializeAsync()
    {
        var database = await postgres.CreateDatabaseAsync();
        _issuer = await TestOidcIssuer.StartAsync();
        using var home = new TempDirectory("prism-admin");
        _admin = await ModuleApp.StartAsync(new AdminModule(), new Dictionary<string, string?>
        {
            ["home"] = home.Path,
            ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["security:oidc_issuer"] = _issuer.Issuer,
            ["admin:database_url"] = database,
        });
        _adminChannel = GrpcChannel.ForAddress(_admin.BaseAddress);
        _first = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["proxy:id"] = "proxy-a", ["proxy:control_poll_interval"] = "500ms" }, database, _issuer);
        _second = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["proxy:id"] = "proxy-b", ["proxy:control_poll_interval"] = "500ms" }, database, _issuer);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _adminChannel.Dispose();
        await _admin.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task MaintenanceSetThroughTheAdminApi_StopsBothProxiesWithinTwoSeconds_AndSessionsOfBothAreListed()
    {
        var ns = await CreateNamespaceAsync();
        var token = _issuer.MintToken("app@example.com", ["apps"]);
        await _first.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, ProxyServer.Call(token, ns));
        // memstore lives in each proxy process, so the second proxy does not see the key; it serves the call.
        Assert.False((await _second.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(token, ns))).Found);

        var listed = await ListSessionsAsync(ns, 2);
        Assert.Equal(["proxy-a", "proxy-b"], listed.Select(s => s.ProxyId).Order());

        await Admin.SetMaintenanceModeAsync(new SetMaintenanceModeRequest { Enabled = true, Message = "database upgrade" }, AdminCall());
        foreach (var proxy in new[] { _first, _second })
        {
            await Timeouts.WaitUntilAsync(async () =>
            {
                try
                {
                    await proxy.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(token, ns));
                    return false;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    Assert.Equal("database upgrade", e.Status.Detail);
                    return true;
                }
            }, "the proxy obeys maintenance", TimeSpan.FromSeconds(2));
        }

        await Admin.SetMaintenanceModeAsync(new SetMaintenanceModeRequest { Enabled = false }, AdminCall());
    }

    [Fact]
    public async Task TerminateSessionThroughTheAdminApi_EndsALiveSubscribeStream()
    {
        var ns = await CreateNamespaceAsync();
        var token = _issuer.MintToken("stream@example.com", ["apps"]);
        using var subscription = await _second.PubSub.SubscribeAsync("t", ProxyServer.Call(token, ns));
        var session = (await ListSessionsAsync(ns)).Single();
        Assert.Equal("proxy-b", session.ProxyId);

        await Admin.TerminateSessionAsync(new TerminateSessionRequest { Id = session.Id, Reason = "rotating credentials" }, AdminCall());

        var ended = await Rpc.FailsAsync(StatusCode.PermissionDenied, () => subscription.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("terminated by admin@example.com: rotating credentials", ended.Status.Detail);
    }

    private async Task<string> CreateNamespaceAsync()
    {
        var name = TestNamespaces.NewName("shared");
        await Admin.CreateNamespaceAsync(new CreateNamespaceRequest
        {
            Namespace = new Namespace { Name = name, Patterns = { "keyvalue", "pubsub" }, AccessGroups = { "apps" } },
        }, AdminCall());
        return name;
    }

    private async Task<IReadOnlyList<Session>> ListSessionsAsync(string ns, int count = 1)
    {
        IReadOnlyList<Session> sessions = [];
        await Timeouts.WaitUntilAsync(async () =>
        {
            sessions = (await Admin.ListSessionsAsync(new ListSessionsRequest { Namespace = ns, PageSize = 100 }, AdminCall())).Sessions;
            return sessions.Count >= count;
        }, "sessions are listed");
        return sessions;
    }

    private CallOptions AdminCall() =>
        new(new Metadata { { "authorization", "Bearer " + _issuer.MintToken("admin@example.com", ["prism:admin"]) } }, DateTime.UtcNow.Add(Timeouts.Await));
}
