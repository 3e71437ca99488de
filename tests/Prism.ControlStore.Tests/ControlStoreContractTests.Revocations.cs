namespace Prism.ControlStore.Tests;

public abstract partial class ControlStoreContractTests
{
    [Fact]
    public async Task TerminateIdentity_EndsEveryActiveSessionOfIt_RecordsTheIdentity_AndAuditsOnce()
    {
        await Store.UpsertSessionAsync(TestRecords.Session("s-1", "orders"), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-2", "billing"), CancellationToken.None).Timed();
        await Store.UpsertSessionAsync(TestRecords.Session("s-3", "orders") with { Identity = "carol@example.com" }, CancellationToken.None).Timed();

        var terminated = await Store.TerminateIdentityAsync("bob@example.com", TestRecords.Now.AddMinutes(1), "ops@example.com", "compromised",
            TestRecords.Audit("TerminateSession"), CancellationToken.None).Timed();

        Assert.Equal(["s-1", "s-2"], terminated.Select(s => s.Id));
        Assert.All(terminated, s => Assert.Equal((SessionStatus.Terminated, "ops@example.com", "compromised"), (s.Status, s.TerminatedBy, s.TerminationReason)));
        Assert.Equal(["s-3"], (await Store.ListSessionsAsync(new PageRequest(10, null), null, false, CancellationToken.None).Timed()).Items.Select(s => s.Id));
        var revoked = Assert.Single(await Store.ListRevokedIdentitiesAsync(CancellationToken.None).Timed());
        Assert.Equal(("bob@example.com", Micros(TestRecords.Now.AddMinutes(1)), "ops@example.com", "compromised"),
            (revoked.Identity, Micros(revoked.RevokedAt), revoked.RevokedBy, revoked.Reason));
        Assert.Single(await Store.QueryAuditAsync(new AuditQuery(Operation: "TerminateSession"), CancellationToken.None).Timed());
    }

    [Fact]
    public async Task TerminateIdentity_Again_MovesItsTimeForward_KeepingOneRow()
    {
        await Store.TerminateIdentityAsync("svc-batch", TestRecords.Now, "ops", "first", TestRecords.Audit("TerminateSession"), CancellationToken.None).Timed();
        var none = await Store.TerminateIdentityAsync("svc-batch", TestRecords.Now.AddHours(1), "ops2", "second", TestRecords.Audit("TerminateSession"), CancellationToken.None).Timed();

        Assert.Empty(none);
        var revoked = Assert.Single(await Store.ListRevokedIdentitiesAsync(CancellationToken.None).Timed());
        Assert.Equal(("svc-batch", Micros(TestRecords.Now.AddHours(1)), "ops2", "second"), (revoked.Identity, Micros(revoked.RevokedAt), revoked.RevokedBy, revoked.Reason));
    }

    // Both stores keep microseconds.
    private static long Micros(DateTimeOffset time) => time.UtcTicks / 10;
}
