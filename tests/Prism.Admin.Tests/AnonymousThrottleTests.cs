using Grpc.Core;
using Prism.Admin.V1;
using Prism.ControlStore.Denials;
using Microsoft.Extensions.DependencyInjection;

namespace Prism.Admin.Tests;

/// <summary>Unauthenticated callers are limited per client address, and their refusals are audited in bounded rows.</summary>
public class AnonymousThrottleTests
{
    [Fact]
    public async Task TwoThousandAnonymousCalls_FromOneAddress_AreThrottled_AndAuditedInABoundedNumberOfRows()
    {
        await using var server = await AdminServer.StartAsync();
        var codes = new System.Collections.Concurrent.ConcurrentBag<StatusCode>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            var error = await Assert.ThrowsAsync<RpcException>(() =>
                server.Client.ListNamespacesAsync(new ListNamespacesRequest(), AdminServer.Options(null)).ResponseAsync);
            codes.Add(error.StatusCode);
        });

        var unauthenticated = codes.Count(c => c == StatusCode.Unauthenticated);
        var throttled = codes.Count(c => c == StatusCode.ResourceExhausted);
        Assert.Equal(2000, unauthenticated + throttled);
        // 60 per minute per address; a slow run may span a second window.
        Assert.InRange(unauthenticated, 60, 120);

        await server.App.Services.GetRequiredService<DeniedCallAuditor>().FlushAsync(everything: true, CancellationToken.None);
        var rows = await AnonymousAuditAsync(server);

        Assert.InRange(rows.Count, 61, 130);
        Assert.Equal(unauthenticated, rows.Count(r => r.StatusCode == "UNAUTHENTICATED"));
        var summaries = rows.Where(r => r.Operation == DeniedCallAuditor.SummaryOperation).ToList();
        Assert.NotEmpty(summaries);
        Assert.Equal(throttled, summaries.Sum(s => long.Parse(s.Metadata["count"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(summaries, s => Assert.Equal(("RESOURCE_EXHAUSTED", "127.0.0.1", "127.0.0.1"), (s.StatusCode, s.ResourceId, s.ClientAddress)));
        Assert.Contains("denied calls from 127.0.0.1", summaries[0].Error, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Equal("127.0.0.1", r.ClientAddress));
    }

    [Fact]
    public async Task ThrottledAddress_DoesNotLimitCallersWithAValidToken()
    {
        await using var server = await AdminServer.StartAsync(new Dictionary<string, string?> { ["admin:anonymous_rate_limit_per_minute"] = "2" });
        var codes = new List<StatusCode>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await Assert.ThrowsAsync<RpcException>(() =>
                server.Client.ListNamespacesAsync(new ListNamespacesRequest(), AdminServer.Options(null)).ResponseAsync)).StatusCode);
        }

        Assert.Equal([StatusCode.Unauthenticated, StatusCode.Unauthenticated, StatusCode.ResourceExhausted, StatusCode.ResourceExhausted], codes);
        var throttled = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.ListNamespacesAsync(new ListNamespacesRequest(), AdminServer.Options(null)).ResponseAsync);
        Assert.Contains("at most 2 per minute", throttled.Status.Detail, StringComparison.Ordinal);
        await server.Client.ListNamespacesAsync(new ListNamespacesRequest(), AdminServer.Options(server.TokenFor("viewer")));
    }

    private static async Task<List<AuditLogEntry>> AnonymousAuditAsync(AdminServer server)
    {
        var rows = new List<AuditLogEntry>();
        using var call = server.Client.GetAuditLog(new GetAuditLogRequest { Actor = "anonymous", Limit = 1000 },
            AdminServer.Options(server.TokenFor("admin", "auditor@example.com")));
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            rows.Add(call.ResponseStream.Current);
        }

        return rows;
    }
}
