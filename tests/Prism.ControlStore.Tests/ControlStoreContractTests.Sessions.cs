namespace Prism.ControlStore.Tests;

public abstract partial class ControlStoreContractTests
{
    [Fact]
    public async Task UpsertSession_InsertsThenUpdatesCounters_KeepingTheStart()
    {
        var session = TestRecords.Session("s-1", "orders");
        await Store.UpsertSessionAsync(session, CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(
            session with { Requests = 42, BytesIn = 7, BytesOut = 9, LastActivity = TestRecords.Now.AddMinutes(1), StartedAt = TestRecords.Now.AddDays(1) },
            CancellationToken.None).Timed();

        var read = (await Store.GetSessionAsync("s-1", CancellationToken.None).Timed())!;
        Assert.Equal((42L, 7L, 9L), (read.Requests, read.BytesIn, read.BytesOut));
        Assert.Equal(TestRecords.Stored(TestRecords.Now.AddMinutes(1)), read.LastActivity);
        Assert.Equal(TestRecords.Stored(TestRecords.Now), read.StartedAt);
        Assert.Equal(("bob@example.com", "prismctl", "orders", "proxy-1", SessionStatus.Active), (read.Identity, read.ClientId, read.Namespace, read.ProxyId, read.Status));
        Assert.Null(await Store.GetSessionAsync("s-2", CancellationToken.None).Timed());
    }

    [Fact]
    public async Task ListSessions_FiltersByNamespaceAndActivity_InIdOrder()
    {
        await Store.UpsertSessionAsync(TestRecords.Session("s-3", "orders"), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-1", "orders"), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-2", "billing"), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-4", "orders", SessionStatus.Closed), CancellationToken.None).Timed();

        async Task<string[]> Ids(string? ns, bool all, int size)
        {
            var ids = new List<string>();
            string? after = null;
            do
            {
                var page = await Store.ListSessionsAsync(new PageRequest(size, after), ns, all, CancellationToken.None).Timed();
                ids.AddRange(page.Items.Select(s => s.Id));
                after = page.LastKey;
            }
            while (after is not null);
            return [.. ids];
        }

        Assert.Equal(["s-1", "s-2", "s-3"], await Ids(null, false, 100));
        Assert.Equal(["s-1", "s-3"], await Ids("orders", false, 1));
        Assert.Equal(["s-1", "s-3", "s-4"], await Ids("orders", true, 2));
        Assert.Equal(["s-1", "s-2", "s-3", "s-4"], await Ids(null, true, 3));
    }

    [Fact]
    public async Task TerminateSession_MarksItTerminated_AndALaterUpsertKeepsIt()
    {
        await Store.UpsertSessionAsync(TestRecords.Session("s-1", "orders"), CancellationToken.None).Timed();

        var terminated = await Store.TerminateSessionAsync("s-1", "ops@example.com", "abuse", TestRecords.Audit("TerminateSession"), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-1", "orders") with { Requests = 99 }, CancellationToken.None).Timed();

        Assert.Equal(SessionStatus.Terminated, terminated.Status);
        var read = (await Store.GetSessionAsync("s-1", CancellationToken.None).Timed())!;
        Assert.Equal((SessionStatus.Terminated, "ops@example.com", "abuse", 99L), (read.Status, read.TerminatedBy, read.TerminationReason, read.Requests));
        Assert.Empty((await Store.ListSessionsAsync(new PageRequest(10, null), null, false, CancellationToken.None).Timed()).Items);
        Assert.Single(await Store.QueryAuditAsync(new AuditQuery(Operation: "TerminateSession"), CancellationToken.None).Timed());
    }

    [Fact]
    public async Task TerminateSession_Missing_ThrowsNotFound_WithoutAuditEntry()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(
            () => Store.TerminateSessionAsync("ghost", "ops", "x", TestRecords.Audit("TerminateSession"), CancellationToken.None)).Timed();
        Assert.Empty(await Store.QueryAuditAsync(new AuditQuery(), CancellationToken.None).Timed());
    }
}
