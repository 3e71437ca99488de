using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Prism.Admin.V1;
using Prism.ControlStore;

namespace Prism.Admin.Tests;

/// <summary>Reading the audit trail for archiving (export) and for a quick look at what just happened (newest first).</summary>
public class AuditExportTests(AdminServerFixture fixture) : IClassFixture<AdminServerFixture>
{
    private static readonly DateTimeOffset Past = new(2020, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private AdminServer Server => fixture.Server;

    private CallOptions AsAdmin() => AdminServer.Options(Server.TokenFor("admin", "archivist@example.com"));

    [Fact]
    public async Task ExportAuditLog_StreamsEveryEntryOfTheRange_OldestFirst_PastTheQueryLimit()
    {
        var store = Server.App.Services.GetRequiredService<IControlStore>();
        var written = Enumerable.Range(0, 2500).Select(i => Entry(Past.AddSeconds(i), $"export-{i}")).ToList();
        await store.AppendAuditBatchAsync(written, CancellationToken.None);
        await store.AppendAuditAsync(Entry(Past.AddDays(1), "after-the-range"), CancellationToken.None);

        var exported = await ReadAsync(Server.Client.ExportAuditLog(
            new ExportAuditLogRequest { Since = Timestamp.FromDateTimeOffset(Past), Until = Timestamp.FromDateTimeOffset(Past.AddHours(1)) }, AsAdmin()));

        Assert.Equal(written.Select(w => w.Id.ToString()), exported.Select(e => e.Id));
        Assert.True(exported.Zip(exported.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
    }

    [Fact]
    public async Task ExportAuditLog_NeedsTheAuditPermission()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(Server.Client.ExportAuditLog(new ExportAuditLogRequest(),
            AdminServer.Options(Server.TokenFor("operator")))));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("admin:audit", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAuditLog_NewestFirst_ReturnsTheNewestEntries_AndCarriesTheCallerAddress()
    {
        var ns = "newest-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
        {
            await Server.Client.GetNamespaceAsync(new GetNamespaceRequest { Name = ns }, AdminServer.Options(Server.TokenFor("viewer"), $"{ns}-{i}"))
                .ResponseAsync.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var newest = await ReadAsync(Server.Client.GetAuditLog(new GetAuditLogRequest { Namespace = ns, Limit = 2, NewestFirst = true }, AsAdmin()));
        var oldest = await ReadAsync(Server.Client.GetAuditLog(new GetAuditLogRequest { Namespace = ns, Limit = 2 }, AsAdmin()));

        Assert.Equal([$"{ns}-4", $"{ns}-3"], newest.Select(e => e.RequestId));
        Assert.Equal([$"{ns}-0", $"{ns}-1"], oldest.Select(e => e.RequestId));
        Assert.All(newest, e => Assert.Equal("127.0.0.1", e.ClientAddress));
    }

    [Fact]
    public async Task GetAuditLog_NewestFirst_WithFollow_IsInvalid()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            ReadAsync(Server.Client.GetAuditLog(new GetAuditLogRequest { NewestFirst = true, Follow = true }, AsAdmin())));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("newest_first", error.Status.Detail, StringComparison.Ordinal);
    }

    private static AuditRecord Entry(DateTimeOffset at, string resource) =>
        new(Guid.NewGuid(), at, "alice@example.com", [], "GetConfig", "config", resource, null, null, true, null, "OK", new Dictionary<string, string>());

    private static async Task<List<AuditLogEntry>> ReadAsync(AsyncServerStreamingCall<AuditLogEntry> call)
    {
        using (call)
        {
            var entries = new List<AuditLogEntry>();
            while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
            {
                entries.Add(call.ResponseStream.Current);
            }

            return entries;
        }
    }
}
