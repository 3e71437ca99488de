using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Prism.ControlStore;
using Prism.ControlStore.Denials;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>Refused data-plane calls reach the audit log, one entry each up to a per-address budget, then as counted summaries.</summary>
public class RejectionAuditTests
{
    [Fact]
    public async Task UnauthenticatedAndPermissionDenied_AreAudited_WithTheCallerAddress()
    {
        await using var server = await ProxyServer.StartAsync();
        var ns = await server.CreateNamespaceAsync(accessGroups: ["team-a"]);

        await Rpc.FailsAsync(StatusCode.Unauthenticated, server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(null, ns)));
        await Rpc.FailsAsync(StatusCode.PermissionDenied,
            server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(server.TokenFor("mallory@example.com", "team-b"), ns)));

        var entries = await WaitForAuditAsync(server.Store, ns, 2);
        var unauthenticated = Assert.Single(entries, e => e.StatusCode == "UNAUTHENTICATED");
        Assert.Equal(("anonymous", "KeyValueBasicInterface/Get", ns, "127.0.0.1", false), (unauthenticated.Actor, unauthenticated.Operation, unauthenticated.Namespace, unauthenticated.ClientAddress, unauthenticated.Success));
        Assert.Contains("authorization", unauthenticated.Error, StringComparison.Ordinal);
        var denied = Assert.Single(entries, e => e.StatusCode == "PERMISSION_DENIED");
        Assert.Equal(("mallory@example.com", "127.0.0.1"), (denied.Actor, denied.ClientAddress));
        Assert.Contains("team-a", denied.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyRefusals_FromOneAddress_GrowTheAuditLogByABoundedNumberOfRows_AndAreAllCounted()
    {
        await using var server = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["proxy:denied_audit_per_minute"] = "5" });
        var ns = await server.CreateNamespaceAsync();

        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
            await Rpc.FailsAsync(StatusCode.Unauthenticated, server.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(null, ns))));
        await server.App.Services.GetRequiredService<DeniedCallAuditor>().FlushAsync(everything: true, CancellationToken.None);

        var rows = await server.Store.QueryAuditAsync(new AuditQuery(Actor: "anonymous", Limit: 1000), CancellationToken.None);
        var single = rows.Where(r => r.Operation == "KeyValueBasicInterface/Get").ToList();
        var summaries = rows.Where(r => r.Operation == DeniedCallAuditor.SummaryOperation).ToList();
        Assert.InRange(rows.Count, 6, 12);
        Assert.InRange(single.Count, 5, 10);
        Assert.Equal(500 - single.Count, summaries.Sum(s => long.Parse(s.Metadata["count"], CultureInfo.InvariantCulture)));
        Assert.All(summaries, s => Assert.Equal(("UNAUTHENTICATED", "127.0.0.1", "proxy"), (s.StatusCode, s.ClientAddress, s.Metadata["source"])));
    }

    private static async Task<IReadOnlyList<AuditRecord>> WaitForAuditAsync(IControlStore store, string ns, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var entries = await store.QueryAuditAsync(new AuditQuery(Namespace: ns, Limit: 100), timeout.Token);
            var refused = entries.Where(e => !e.Success).ToList();
            if (refused.Count >= count)
            {
                return refused;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
