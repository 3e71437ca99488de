using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.ControlStore;
using Prism.Hosting.Settings;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Control;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>Maintenance, drain and session termination, set in the store the proxy polls (SQLite).</summary>
public class ControlTests
{
    [Fact]
    public async Task Maintenance_RefusesCalls_WithTheOperatorsMessage_EndsStreams_AndLifts()
    {
        await using var server = await ProxyServer.StartAsync();
        var options = ProxyServer.Call(server.TokenFor(), await server.CreateNamespaceAsync());
        using var subscription = await server.PubSub.SubscribeAsync("t", options);

        await server.Store.SetMaintenanceAsync(new MaintenanceState(true, "upgrading the cluster", "ops", DateTimeOffset.UtcNow),
            TestNamespaces.Audit("SetMaintenanceMode"), CancellationToken.None).WaitAsync(Timeouts.Await);

        var ended = await Rpc.FailsAsync(StatusCode.Unavailable, () => subscription.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("upgrading the cluster", ended.Status.Detail);
        var refused = await Rpc.FailsAsync(StatusCode.Unavailable, server.KeyValue.GetAsync(new GetRequest { Key = "k" }, options));
        Assert.Equal("upgrading the cluster", refused.Status.Detail);

        await server.Store.SetMaintenanceAsync(MaintenanceState.Off, TestNamespaces.Audit("SetMaintenanceMode"), CancellationToken.None).WaitAsync(Timeouts.Await);
        await Timeouts.WaitUntilAsync(async () => await Succeeds(server, options), "maintenance is lifted");
    }

    [Fact]
    public async Task Drain_RefusesNewSessions_AndClosesExistingOnesAtTheDeadline()
    {
        await using var server = await ProxyServer.StartAsync();
        var ns = await server.CreateNamespaceAsync();
        var existing = ProxyServer.Call(server.TokenFor("early@example.com"), ns);
        await server.KeyValue.GetAsync(new GetRequest { Key = "k" }, existing);
        using var subscription = await server.PubSub.SubscribeAsync("t", existing);

        await server.Store.SetDrainAsync(new DrainState(true, "moving to a new cluster", DateTimeOffset.UtcNow.AddSeconds(2), "ops"),
            TestNamespaces.Audit("DrainConnections"), CancellationToken.None).WaitAsync(Timeouts.Await);

        // A probe with the newcomer's token before the proxy saw the drain would open its session.
        var control = server.App.Services.GetRequiredService<ControlStateCache>();
        await Timeouts.WaitUntilAsync(() => Task.FromResult(control.Current.Drain.Draining), "the proxy sees the drain");
        var newcomer = ProxyServer.Call(server.TokenFor("late@example.com"), ns);
        var refused = await Rpc.FailsAsync(StatusCode.Unavailable, server.KeyValue.GetAsync(new GetRequest { Key = "k" }, newcomer));
        Assert.Equal("moving to a new cluster", refused.Status.Detail);
        Assert.True(await Succeeds(server, existing), "an existing session is served until the deadline");

        var closed = await Rpc.FailsAsync(StatusCode.Unavailable, () => subscription.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("moving to a new cluster", closed.Status.Detail);
        await Rpc.FailsAsync(StatusCode.Unavailable, server.KeyValue.GetAsync(new GetRequest { Key = "k" }, existing));
    }

    [Fact]
    public async Task TerminatedSession_LosesItsStreamsAndCalls_ANewTokenGetsANewSession()
    {
        await using var server = await ProxyServer.StartAsync();
        var ns = await server.CreateNamespaceAsync();
        var options = ProxyServer.Call(server.TokenFor("mallory@example.com"), ns);
        await server.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, options);
        using var subscription = await server.PubSub.SubscribeAsync("t", options);
        var session = await SessionOfAsync(server.Store, "mallory@example.com");

        await server.Store.TerminateSessionAsync(session.Id, "ops@example.com", "suspicious traffic", TestNamespaces.Audit("TerminateSession"),
            CancellationToken.None).WaitAsync(Timeouts.Await);

        var ended = await Rpc.FailsAsync(StatusCode.PermissionDenied, () => subscription.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal($"session {session.Id} terminated by ops@example.com: suspicious traffic", ended.Status.Detail);
        await Rpc.FailsAsync(StatusCode.PermissionDenied, server.KeyValue.GetAsync(new GetRequest { Key = "k" }, options));

        var fresh = ProxyServer.Call(server.TokenFor("mallory@example.com", "fresh"), ns);
        Assert.True((await server.KeyValue.GetAsync(new GetRequest { Key = "k" }, fresh)).Found);
    }

    [Fact]
    public async Task DeprecatedPollVariable_StillSetsTheInterval_AndStartUpWarnsOnceNamingTheReplacement()
    {
        await using var server = await ProxyServer.StartAsync(new Dictionary<string, string?>
        {
            ["proxy:control_poll_interval"] = null,
            ["proxy:control_poll_ms"] = "150",
        }).WaitAsync(Timeouts.Await);

        Assert.Equal(TimeSpan.FromMilliseconds(150), server.App.Services.GetRequiredService<ProxyOptions>().ControlPollInterval);
        var warning = Assert.Single(server.App.Logs.Entries, e => e.Message.StartsWith(DeprecatedSettings.WarningMessage, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("deprecated setting PRISM_PROXY_CONTROL_POLL_MS is in use; set PRISM_PROXY_CONTROL_POLL_INTERVAL=150ms instead", warning.Message);
    }

    [Fact]
    public async Task Sessions_AreRecordedWithCounters_ClosedWhenIdle()
    {
        await using var server = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["proxy:session_idle_timeout"] = "1s" });
        var options = ProxyServer.Call(server.TokenFor("counted@example.com"), await server.CreateNamespaceAsync());
        await server.KeyValue.SetAsync(new SetRequest { Key = "key", Value = ByteString.CopyFromUtf8("12345") }, options);
        await server.KeyValue.GetAsync(new GetRequest { Key = "key" }, options);

        SessionRecord? stored = null;
        await Timeouts.WaitUntilAsync(async () =>
        {
            stored = await SessionOfAsync(server.Store, "counted@example.com");
            return stored.Requests == 2;
        }, "the counters are flushed");
        Assert.Equal(11, stored!.BytesIn); // key + value, then key
        Assert.Equal(5, stored.BytesOut);
        Assert.Equal(SessionStatus.Active, stored.Status);
        Assert.False(string.IsNullOrEmpty(stored.ProxyId));

        await Timeouts.WaitUntilAsync(async () => (await SessionOfAsync(server.Store, "counted@example.com")).Status == SessionStatus.Closed,
            "the idle session is closed");
    }

    private static async Task<bool> Succeeds(ProxyServer server, CallOptions options)
    {
        try
        {
            await server.KeyValue.GetAsync(new GetRequest { Key = "k" }, options);
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            return false;
        }
    }

    internal static async Task<SessionRecord> SessionOfAsync(IControlStore store, string identity)
    {
        var page = await store.ListSessionsAsync(new PageRequest(100, null), null, includeInactive: true, CancellationToken.None).WaitAsync(Timeouts.Await);
        return page.Items.Single(s => s.Identity == identity);
    }
}
