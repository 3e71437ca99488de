namespace Prism.ControlStore.Tests;

public abstract partial class ControlStoreContractTests
{
    private static LeaseRecord Lease(string id, string session = "ses-1", string holder = "holder-1", DateTimeOffset? expires = null) =>
        new(id, session, "redis-cache", "orders", "prism-s-" + id, holder, "proxy-1", TestRecords.Now, expires ?? TestRecords.Now.AddHours(1));

    private static DateTimeOffset RowMappingTime(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    [Fact]
    public async Task Leases_AreRecordedRenewedAndDeleted_EachWithItsAuditEntry()
    {
        await Store.RecordLeaseAsync(Lease("l1"), TestRecords.Audit("IssueCredential", "orders"), CancellationToken.None).Timed();
        await Store.RecordLeaseAsync(Lease("l2", session: "ses-2"), TestRecords.Audit("IssueCredential", "orders"), CancellationToken.None).Timed();

        Assert.True(await Store.RenewLeaseAsync("l1", TestRecords.Now.AddHours(2), TestRecords.Audit("RenewCredential", "orders"), CancellationToken.None).Timed());
        var ofSession = Assert.Single(await Store.ListLeasesAsync(["ses-1"], CancellationToken.None).Timed());
        Assert.Equal(RowMappingTime(TestRecords.Now.AddHours(2)), ofSession.ExpiresAt);
        Assert.Equal("prism-s-l1", ofSession.Principal);
        Assert.Equal(2, (await Store.ListLeasesAsync(null, CancellationToken.None).Timed()).Count);

        Assert.True(await Store.DeleteLeaseAsync("l1", TestRecords.Audit("RevokeCredential", "orders"), CancellationToken.None).Timed());
        Assert.False(await Store.DeleteLeaseAsync("l1", TestRecords.Audit("RevokeCredential", "orders"), CancellationToken.None).Timed());
        Assert.False(await Store.RenewLeaseAsync("l1", TestRecords.Now.AddHours(3), TestRecords.Audit("RenewCredential", "orders"), CancellationToken.None).Timed());

        Assert.Empty(await Store.ListLeasesAsync(["ses-1"], CancellationToken.None).Timed());
        Assert.Single(await Store.QueryAuditAsync(new AuditQuery(Operation: "RevokeCredential"), CancellationToken.None).Timed());
        Assert.Single(await Store.QueryAuditAsync(new AuditQuery(Operation: "RenewCredential"), CancellationToken.None).Timed());
        Assert.Equal(2, (await Store.QueryAuditAsync(new AuditQuery(Operation: "IssueCredential"), CancellationToken.None).Timed()).Count);
    }

    [Fact]
    public async Task AbandonedLeases_AreTheExpiredOnes_AndThoseOfSilentOrUnknownHolders()
    {
        var now = TestRecords.Now;
        await Store.HeartbeatAsync("alive", "proxy-1", now, CancellationToken.None).Timed();
        await Store.HeartbeatAsync("silent", "proxy-2", now.AddMinutes(-5), CancellationToken.None).Timed();
        await Store.RecordLeaseAsync(Lease("kept", holder: "alive"), TestRecords.Audit("IssueCredential"), CancellationToken.None).Timed();
        await Store.RecordLeaseAsync(Lease("expired", holder: "alive", expires: now.AddSeconds(-1)), TestRecords.Audit("IssueCredential"), CancellationToken.None).Timed();
        await Store.RecordLeaseAsync(Lease("of-silent", holder: "silent"), TestRecords.Audit("IssueCredential"), CancellationToken.None).Timed();
        await Store.RecordLeaseAsync(Lease("of-unknown", holder: "never-seen"), TestRecords.Audit("IssueCredential"), CancellationToken.None).Timed();

        var abandoned = await Store.AbandonedLeasesAsync(now, now.AddSeconds(-15), CancellationToken.None).Timed();

        Assert.Equal(["expired", "of-silent", "of-unknown"], abandoned.Select(l => l.Id));

        await Store.ReleaseHolderAsync("alive", CancellationToken.None).Timed();
        Assert.Contains("kept", (await Store.AbandonedLeasesAsync(now, now.AddSeconds(-15), CancellationToken.None).Timed()).Select(l => l.Id));
    }
}
