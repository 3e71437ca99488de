namespace Prism.ControlStore.Tests;

public abstract partial class ControlStoreContractTests
{
    [Fact]
    public async Task Configs_CreateGetListUpdateDelete_FollowTheNamespaceContract()
    {
        var created = await Store.CreateConfigAsync(TestRecords.Config("routing", "a: 1"), TestRecords.Audit("CreateConfig"), CancellationToken.None).Timed();
        await Store.CreateConfigAsync(TestRecords.Config("limits"), TestRecords.Audit("CreateConfig"), CancellationToken.None).Timed();
        Assert.Equal(1, created.Version);

        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(
            () => Store.CreateConfigAsync(TestRecords.Config("routing"), TestRecords.Audit("CreateConfig"), CancellationToken.None)).Timed();

        var first = await Store.ListConfigsAsync(new PageRequest(1, null), CancellationToken.None).Timed();
        var second = await Store.ListConfigsAsync(new PageRequest(1, first.LastKey), CancellationToken.None).Timed();
        Assert.Equal(["limits", "routing"], first.Items.Concat(second.Items).Select(c => c.Name));
        Assert.Equal("limits", first.LastKey);
        Assert.Null(second.LastKey);

        var updated = await Store.UpdateConfigAsync(created with { Content = "a: 2" }, TestRecords.Audit("UpdateConfig"), CancellationToken.None).Timed();
        Assert.Equal(2, updated.Version);
        await Assert.ThrowsAsync<VersionConflictException>(
            () => Store.UpdateConfigAsync(created with { Content = "a: 3" }, TestRecords.Audit("UpdateConfig"), CancellationToken.None)).Timed();
        var read = (await Store.GetConfigAsync("routing", CancellationToken.None).Timed())!;
        Assert.Equal(("a: 2", "yaml", "gold"), (read.Content, read.Format, read.Labels["tier"]));

        await Assert.ThrowsAsync<ResourceNotFoundException>(
            () => Store.UpdateConfigAsync(TestRecords.Config("ghost"), TestRecords.Audit("UpdateConfig"), CancellationToken.None)).Timed();
        await Assert.ThrowsAsync<ResourceNotFoundException>(
            () => Store.DeleteConfigAsync("ghost", 0, TestRecords.Audit("DeleteConfig"), CancellationToken.None)).Timed();
        await Assert.ThrowsAsync<VersionConflictException>(
            () => Store.DeleteConfigAsync("routing", 1, TestRecords.Audit("DeleteConfig"), CancellationToken.None)).Timed();

        await Store.DeleteConfigAsync("routing", 2, TestRecords.Audit("DeleteConfig"), CancellationToken.None).Timed();
        Assert.Null(await Store.GetConfigAsync("routing", CancellationToken.None).Timed());
        Assert.Equal(
            ["CreateConfig", "CreateConfig", "UpdateConfig", "DeleteConfig"],
            (await Store.QueryAuditAsync(new AuditQuery(), CancellationToken.None).Timed()).Select(a => a.Operation));
    }

    [Fact]
    public async Task ControlState_StartsOff_AndRoundTripsMaintenanceAndDrain()
    {
        var initial = await Store.GetControlStateAsync(CancellationToken.None).Timed();
        Assert.False(initial.Maintenance.Enabled);
        Assert.False(initial.Drain.Draining);

        var deadline = TestRecords.Now.AddSeconds(30);
        var maintenance = await Store.SetMaintenanceAsync(
            new MaintenanceState(true, "upgrading", "ops@example.com", TestRecords.Now), TestRecords.Audit("SetMaintenanceMode", null), CancellationToken.None).Timed();
        var drain = await Store.SetDrainAsync(
            new DrainState(true, "draining", deadline, "ops@example.com"), TestRecords.Audit("DrainConnections", null), CancellationToken.None).Timed();

        var state = await OpenStore().GetControlStateAsync(CancellationToken.None).Timed();
        Assert.Equal(new MaintenanceState(true, "upgrading", "ops@example.com", TestRecords.Stored(TestRecords.Now)), state.Maintenance);
        Assert.Equal(new DrainState(true, "draining", TestRecords.Stored(deadline), "ops@example.com"), state.Drain);
        Assert.Equal(state.Maintenance, maintenance);
        Assert.Equal(state.Drain, drain);

        await Store.SetMaintenanceAsync(MaintenanceState.Off, TestRecords.Audit("SetMaintenanceMode", null), CancellationToken.None).Timed();
        await Store.SetDrainAsync(DrainState.Off with { SetBy = "ops@example.com" }, TestRecords.Audit("DrainConnections", null), CancellationToken.None).Timed();
        var off = await Store.GetControlStateAsync(CancellationToken.None).Timed();
        Assert.Equal(MaintenanceState.Off, off.Maintenance);
        Assert.Equal(DrainState.Off with { SetBy = "ops@example.com" }, off.Drain);
        Assert.Equal(4, (await Store.QueryAuditAsync(new AuditQuery(), CancellationToken.None).Timed()).Count);
    }
}
