namespace Prism.ControlStore.Tests;

public abstract partial class ControlStoreContractTests
{
    private static readonly RetentionPolicy NoLimits = new(TimeSpan.Zero, 0, TimeSpan.Zero, 0);

    private async Task<List<AuditRecord>> AllAuditAsync() =>
        [.. await Store.QueryAuditAsync(new AuditQuery(Limit: ControlStore.MaxAuditLimit), CancellationToken.None).Timed()];

    private async Task<List<string>> AllSessionIdsAsync() =>
        [.. (await Store.ListSessionsAsync(new PageRequest(ControlStore.MaxPageSize, null), null, true, CancellationToken.None).Timed()).Items.Select(s => s.Id)];

    [Fact]
    public async Task Prune_DeletesAuditOlderThanItsAge_ThenBeyondItsCount_OldestFirst()
    {
        var now = TestRecords.Now;
        // Hour 29 ago first, then one entry per hour up to now.
        await Store.AppendAuditBatchAsync(
            [.. Enumerable.Range(0, 30).Reverse().Select(h => TestRecords.Audit("GetNamespace", $"h{h}", at: now.AddHours(-h)))],
            CancellationToken.None).Timed();

        var byAge = await Store.PruneAsync(NoLimits with { AuditAge = TimeSpan.FromHours(10) }, now, CancellationToken.None).Timed();

        Assert.Equal(19, byAge.AuditDeleted);
        Assert.Equal([.. Enumerable.Range(0, 11).Reverse().Select(h => $"h{h}")], (await AllAuditAsync()).Select(a => a.Namespace));

        var byCount = await Store.PruneAsync(NoLimits with { AuditAge = TimeSpan.FromHours(10), AuditMaxRows = 4 }, now, CancellationToken.None).Timed();

        Assert.Equal(7, byCount.AuditDeleted);
        Assert.Equal(["h3", "h2", "h1", "h0"], (await AllAuditAsync()).Select(a => a.Namespace));
    }

    [Fact]
    public async Task Prune_OfManyAuditRows_DeletesInBatches_DownToTheCount()
    {
        var now = TestRecords.Now;
        for (var chunk = 0; chunk < 6; chunk++)
        {
            await Store.AppendAuditBatchAsync(
                [.. Enumerable.Range(0, 1200).Select(i => TestRecords.Audit("GetNamespace", $"c{chunk}", at: now.AddSeconds(chunk * 1200 + i)))],
                CancellationToken.None).Timed();
        }

        var outcome = await Store.PruneAsync(NoLimits with { AuditMaxRows = 150 }, now, CancellationToken.None).Timed();

        Assert.Equal(7200 - 150, outcome.AuditDeleted);
        var left = await AllAuditAsync();
        Assert.Equal(150, left.Count);
        Assert.All(left, a => Assert.Equal("c5", a.Namespace));
    }

    [Fact]
    public async Task Prune_DeletesSessionsIdleLongerThanTheirAge_ThenBeyondTheirCount_KeepingLeasedOnes()
    {
        var now = TestRecords.Now;
        for (var day = 0; day < 20; day++)
        {
            await Store.UpsertSessionAsync(
                TestRecords.Session($"s-{day:D2}", "orders", day % 2 == 0 ? SessionStatus.Closed : SessionStatus.Active) with { LastActivity = now.AddDays(-day) },
                CancellationToken.None).Timed();
        }

        // A session still holding a credential lease stays until the lease is gone.
        await Store.RecordLeaseAsync(Lease("l1", session: "s-15"), TestRecords.Audit("IssueCredential", "orders"), CancellationToken.None).Timed();

        var byAge = await Store.PruneAsync(NoLimits with { SessionAge = TimeSpan.FromDays(7) }, now, CancellationToken.None).Timed();

        Assert.Equal(11, byAge.SessionsDeleted);
        Assert.Equal([.. Enumerable.Range(0, 8).Select(d => $"s-{d:D2}"), "s-15"], await AllSessionIdsAsync());

        var byCount = await Store.PruneAsync(NoLimits with { SessionAge = TimeSpan.FromDays(7), SessionMaxRows = 3 }, now, CancellationToken.None).Timed();

        Assert.Equal(5, byCount.SessionsDeleted);
        Assert.Equal(["s-00", "s-01", "s-02", "s-15"], await AllSessionIdsAsync());
    }

    [Fact]
    public async Task Prune_FromTwoProcessesAtOnce_DeletesExactlyWhatOneWould()
    {
        var now = TestRecords.Now;
        await Store.AppendAuditBatchAsync(
            [.. Enumerable.Range(0, 400).Select(i => TestRecords.Audit("GetNamespace", "ns", at: now.AddSeconds(i)))], CancellationToken.None).Timed();
        for (var i = 0; i < 40; i++)
        {
            await Store.UpsertSessionAsync(TestRecords.Session($"s-{i:D2}", "orders") with { LastActivity = now.AddSeconds(i) }, CancellationToken.None).Timed();
        }

        var policy = new RetentionPolicy(TimeSpan.FromDays(1), 100, TimeSpan.FromDays(1), 10);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenStore().PruneAsync(policy, now, CancellationToken.None))).Timed();

        Assert.Equal(300, outcomes.Sum(o => o.AuditDeleted));
        Assert.Equal(30, outcomes.Sum(o => o.SessionsDeleted));
        Assert.Equal(100, (await AllAuditAsync()).Count);
        Assert.Equal([.. Enumerable.Range(30, 10).Select(i => $"s-{i:D2}")], await AllSessionIdsAsync());
    }

    [Fact]
    public async Task Prune_WithEveryLimitOff_DeletesNothing()
    {
        await Store.AppendAuditAsync(TestRecords.Audit(at: TestRecords.Now.AddYears(-3)), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-1", "orders") with { LastActivity = TestRecords.Now.AddYears(-3) }, CancellationToken.None).Timed();

        var outcome = await Store.PruneAsync(NoLimits, TestRecords.Now, CancellationToken.None).Timed();

        Assert.Equal(new PruneOutcome(0, 0), outcome);
        Assert.Single(await AllAuditAsync());
        Assert.Single(await AllSessionIdsAsync());
    }

    [Fact]
    public async Task QueryAudit_NewestFirst_ReturnsTheNewestEntries_NewestFirst()
    {
        await Store.AppendAuditBatchAsync([.. Enumerable.Range(0, 10).Select(i => TestRecords.Audit("GetNamespace", $"n{i}"))], CancellationToken.None).Timed();

        var newest = await Store.QueryAuditAsync(new AuditQuery(Limit: 3, NewestFirst: true), CancellationToken.None).Timed();
        var oldest = await Store.QueryAuditAsync(new AuditQuery(Limit: 3), CancellationToken.None).Timed();

        Assert.Equal(["n9", "n8", "n7"], newest.Select(a => a.Namespace));
        Assert.Equal(["n0", "n1", "n2"], oldest.Select(a => a.Namespace));
    }

    [Fact]
    public async Task AppendAudit_KeepsTheCallerAddress()
    {
        await Store.AppendAuditAsync(TestRecords.Audit("GetNamespace") with { ClientAddress = "ipv4:10.1.2.3:50123" }, CancellationToken.None).Timed();
        await Store.AppendAuditBatchAsync([TestRecords.Audit("ListNamespaces") with { ClientAddress = "ipv6:[::1]:4242" }, TestRecords.Audit("GetConfig")], CancellationToken.None).Timed();

        var read = await AllAuditAsync();

        Assert.Equal(["ipv4:10.1.2.3:50123", "ipv6:[::1]:4242", null], read.Select(a => a.ClientAddress));
    }

    [Fact]
    public async Task Statistics_CountNamespacesConfigsAndActiveSessions_PerProxy()
    {
        await Store.CreateNamespaceAsync(TestRecords.Namespace("orders"), TestRecords.Audit(), CancellationToken.None).Timed();
        await Store.CreateNamespaceAsync(TestRecords.Namespace("billing"), TestRecords.Audit(), CancellationToken.None).Timed();
        await Store.CreateConfigAsync(TestRecords.Config("app"), TestRecords.Audit(), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-1", "orders"), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-2", "orders") with { ProxyId = "proxy-2" }, CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-3", "orders") with { ProxyId = "proxy-2" }, CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-4", "orders", SessionStatus.Closed), CancellationToken.None).Timed();

        var stats = await Store.StatisticsAsync(CancellationToken.None).Timed();

        Assert.Equal((2L, 1L, 3L, 30L, 300L, 3000L), (stats.Namespaces, stats.Configs, stats.ActiveSessions, stats.ActiveRequests, stats.ActiveBytesIn, stats.ActiveBytesOut));
        Assert.Equal([("proxy-1", 1L), ("proxy-2", 2L)], stats.ActiveSessionsByProxy.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
    }
}
