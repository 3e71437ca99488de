namespace Prism.ControlStore.Tests;

public abstract partial class ControlStoreContractTests
{
    [Fact]
    public async Task Mutation_WhoseAuditInsertFails_LeavesNoChange()
    {
        var taken = await Store.AppendAuditAsync(TestRecords.Audit("Seed"), CancellationToken.None).Timed();
        var duplicate = TestRecords.Audit(id: taken.Id);
        var created = await Store.CreateNamespaceAsync(TestRecords.Namespace("kept"), TestRecords.Audit(), CancellationToken.None).Timed();

        await Assert.ThrowsAnyAsync<Exception>(() => Store.CreateNamespaceAsync(TestRecords.Namespace("lost"), duplicate, CancellationToken.None)).Timed();
        await Assert.ThrowsAnyAsync<Exception>(() => Store.UpdateNamespaceAsync(created with { Description = "lost" }, duplicate, CancellationToken.None)).Timed();
        await Assert.ThrowsAnyAsync<Exception>(() => Store.DeleteNamespaceAsync("kept", 0, duplicate, CancellationToken.None)).Timed();
        await Assert.ThrowsAnyAsync<Exception>(
            () => Store.SetMaintenanceAsync(new MaintenanceState(true, "lost", "x", null), duplicate, CancellationToken.None)).Timed();

        Assert.Null(await Store.GetNamespaceAsync("lost", CancellationToken.None).Timed());
        var kept = (await Store.GetNamespaceAsync("kept", CancellationToken.None).Timed())!;
        Assert.Equal((1L, "test namespace"), (kept.Version, kept.Description));
        Assert.False((await Store.GetControlStateAsync(CancellationToken.None).Timed()).Maintenance.Enabled);
        Assert.Equal(2, (await Store.QueryAuditAsync(new AuditQuery(), CancellationToken.None).Timed()).Count);
    }

    [Fact]
    public async Task ConcurrentCreates_OfOneName_ExactlyOneSucceeds()
    {
        const int writers = 12;
        var stores = Enumerable.Range(0, 3).Select(_ => OpenStore()).ToArray();
        var attempts = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            try
            {
                await stores[i % stores.Length].CreateNamespaceAsync(
                    TestRecords.Namespace("contested", $"writer {i}"), TestRecords.Audit(), CancellationToken.None);
                return "created";
            }
            catch (ResourceAlreadyExistsException)
            {
                return "exists";
            }
        })).ToArray();

        var outcomes = await Task.WhenAll(attempts).Timed();

        Assert.Equal(1, outcomes.Count(o => o == "created"));
        Assert.Equal(writers - 1, outcomes.Count(o => o == "exists"));
        Assert.Single(await Store.QueryAuditAsync(new AuditQuery(), CancellationToken.None).Timed());
    }

    [Fact]
    public async Task ConcurrentUpdates_FromOneVersion_ExactlyOneSucceeds()
    {
        var created = await Store.CreateNamespaceAsync(TestRecords.Namespace("contested"), TestRecords.Audit(), CancellationToken.None).Timed();
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await OpenStore().UpdateNamespaceAsync(created with { Description = $"writer {i}" }, TestRecords.Audit("UpdateNamespace"), CancellationToken.None);
                return true;
            }
            catch (VersionConflictException)
            {
                return false;
            }
        })).ToArray();

        var outcomes = await Task.WhenAll(attempts).Timed();

        Assert.Single(outcomes, o => o);
        Assert.Equal(2, (await Store.GetNamespaceAsync("contested", CancellationToken.None).Timed())!.Version);
        Assert.Single(await Store.QueryAuditAsync(new AuditQuery(Operation: "UpdateNamespace"), CancellationToken.None).Timed());
    }

    [Fact]
    public async Task ConcurrentAppends_FromSeveralHandles_GetUniqueIncreasingSequences()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore()).ToArray();
        var appends = Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => stores[i % stores.Length].AppendAuditAsync(TestRecords.Audit(@namespace: $"n{i}"), CancellationToken.None)))
            .ToArray();

        var appended = await Task.WhenAll(appends).Timed();
        var read = await Store.QueryAuditAsync(new AuditQuery(Limit: 1000), CancellationToken.None).Timed();

        Assert.Equal(40, appended.Select(a => a.Sequence).Distinct().Count());
        Assert.Equal(appended.Select(a => a.Sequence).Order(), read.Select(a => a.Sequence));
    }

    [Fact]
    public async Task Migrate_Twice_IsIdempotent()
    {
        await Store.MigrateAsync(CancellationToken.None).Timed();
        await OpenStore().MigrateAsync(CancellationToken.None).Timed();

        Assert.Equal([.. Store.Database.Migrations.Select(m => m.Version)], await Store.Database.AppliedMigrationsAsync(CancellationToken.None).Timed());
        await Store.CreateNamespaceAsync(TestRecords.Namespace("after"), TestRecords.Audit(), CancellationToken.None).Timed();
    }

    [Fact]
    public async Task Migrate_FromSeveralHandlesAtOnce_OnAnEmptyDatabase_AppliesEachVersionOnce()
    {
        var open = await CreateEmptyDatabaseAsync().Timed();
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore(open)).ToArray();
        Assert.Empty(await stores[0].Database.AppliedMigrationsAsync(CancellationToken.None).Timed());

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(CancellationToken.None)))).Timed();

        Assert.Equal([.. stores[0].Database.Migrations.Select(m => m.Version)], await stores[0].Database.AppliedMigrationsAsync(CancellationToken.None).Timed());
        await stores[1].CreateNamespaceAsync(TestRecords.Namespace("after"), TestRecords.Audit(), CancellationToken.None).Timed();
        Assert.NotNull(await stores[2].GetNamespaceAsync("after", CancellationToken.None).Timed());
    }
}
