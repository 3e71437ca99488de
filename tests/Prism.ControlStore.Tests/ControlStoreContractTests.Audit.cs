namespace Prism.ControlStore.Tests;

public abstract partial class ControlStoreContractTests
{
    [Fact]
    public async Task AppendAudit_AssignsIncreasingSequences_AndRoundTripsEveryField()
    {
        var entry = TestRecords.Audit("ListNamespaces", "orders") with { Success = false, Error = "denied", StatusCode = "PERMISSION_DENIED" };

        var first = await Store.AppendAuditAsync(entry, CancellationToken.None).Timed();
        var second = await Store.AppendAuditAsync(TestRecords.Audit(), CancellationToken.None).Timed();

        Assert.True(first.Sequence > 0);
        Assert.True(second.Sequence > first.Sequence);
        var read = Assert.Single(await Store.QueryAuditAsync(new AuditQuery(Operation: "ListNamespaces"), CancellationToken.None).Timed());
        Assert.Equal(first.Sequence, read.Sequence);
        Assert.Equal((entry.Id, entry.Actor, entry.Operation, entry.ResourceType, entry.ResourceId, entry.Namespace, entry.RequestId),
            (read.Id, read.Actor, read.Operation, read.ResourceType, read.ResourceId, read.Namespace, read.RequestId));
        Assert.Equal((false, "denied", "PERMISSION_DENIED"), (read.Success, read.Error, read.StatusCode));
        Assert.Equal(entry.ActorGroups, read.ActorGroups);
        Assert.Equal("keyvalue", read.Metadata["patterns"]);
        Assert.Equal(TestRecords.Stored(entry.Timestamp), read.Timestamp);
    }

    [Fact]
    public async Task AppendAuditBatch_StoresEveryEntry_InListOrder()
    {
        var batch = Enumerable.Range(0, 5).Select(i => TestRecords.Audit("GetNamespace", $"ns-{i}")).ToList();

        await Store.AppendAuditBatchAsync(batch, CancellationToken.None).Timed();

        var read = await Store.QueryAuditAsync(new AuditQuery(Operation: "GetNamespace"), CancellationToken.None).Timed();
        Assert.Equal(batch.Select(b => b.Id), read.Select(r => r.Id));
        Assert.True(read.Zip(read.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence));
    }

    [Fact]
    public async Task QueryAudit_FiltersByActorOperationNamespaceAndTime()
    {
        var t0 = TestRecords.Now;
        await Store.AppendAuditAsync(TestRecords.Audit("CreateNamespace", "orders", "alice", t0), CancellationToken.None).Timed();
        await Store.AppendAuditAsync(TestRecords.Audit("DeleteNamespace", "orders", "bob", t0.AddMinutes(1)), CancellationToken.None).Timed();
        await Store.AppendAuditAsync(TestRecords.Audit("CreateNamespace", "billing", "bob", t0.AddMinutes(2)), CancellationToken.None).Timed();
        await Store.AppendAuditAsync(TestRecords.Audit("GetBackendStatus", null, "carol", t0.AddMinutes(3)), CancellationToken.None).Timed();

        async Task<string[]> Query(AuditQuery query) =>
            [.. (await Store.QueryAuditAsync(query, CancellationToken.None).Timed()).Select(a => $"{a.Actor}:{a.Operation}:{a.Namespace}")];

        Assert.Equal(["bob:DeleteNamespace:orders", "bob:CreateNamespace:billing"], await Query(new AuditQuery(Actor: "bob")));
        Assert.Equal(["alice:CreateNamespace:orders", "bob:CreateNamespace:billing"], await Query(new AuditQuery(Operation: "CreateNamespace")));
        Assert.Equal(["alice:CreateNamespace:orders", "bob:DeleteNamespace:orders"], await Query(new AuditQuery(Namespace: "orders")));
        Assert.Equal(["bob:CreateNamespace:billing"], await Query(new AuditQuery(Actor: "bob", Operation: "CreateNamespace")));
        Assert.Equal(["bob:DeleteNamespace:orders", "bob:CreateNamespace:billing"],
            await Query(new AuditQuery(Since: t0.AddMinutes(1), Until: t0.AddMinutes(2))));
        Assert.Equal(["carol:GetBackendStatus:"], await Query(new AuditQuery(Since: t0.AddMinutes(3).ToOffset(TimeSpan.FromHours(-5)))));
        Assert.Empty(await Query(new AuditQuery(Actor: "nobody")));
    }

    [Fact]
    public async Task QueryAudit_ReturnsEntriesAfterSequence_InOrder_UpToLimit()
    {
        var appended = new List<AuditRecord>();
        for (var i = 0; i < 7; i++)
        {
            appended.Add(await Store.AppendAuditAsync(TestRecords.Audit(@namespace: $"ns-{i}"), CancellationToken.None).Timed());
        }

        var firstThree = await Store.QueryAuditAsync(new AuditQuery(Limit: 3), CancellationToken.None).Timed();
        var rest = await Store.QueryAuditAsync(new AuditQuery(AfterSequence: firstThree[^1].Sequence), CancellationToken.None).Timed();
        var none = await Store.QueryAuditAsync(new AuditQuery(AfterSequence: appended[^1].Sequence), CancellationToken.None).Timed();

        Assert.Equal(appended.Select(a => a.Sequence), firstThree.Concat(rest).Select(a => a.Sequence));
        Assert.Equal(appended.Select(a => a.Namespace), firstThree.Concat(rest).Select(a => a.Namespace));
        Assert.Empty(none);
    }

    [Fact]
    public async Task Mutations_WriteTheirAuditEntry_VisibleToAnotherHandle()
    {
        var follower = OpenStore();
        var cursor = 0L;
        await Store.CreateNamespaceAsync(TestRecords.Namespace("orders"), TestRecords.Audit("CreateNamespace", "orders"), CancellationToken.None).Timed();

        var seen = await follower.QueryAuditAsync(new AuditQuery(AfterSequence: cursor), CancellationToken.None).Timed();
        cursor = Assert.Single(seen).Sequence;
        await Store.DeleteNamespaceAsync("orders", 1, TestRecords.Audit("DeleteNamespace", "orders"), CancellationToken.None).Timed();

        var next = Assert.Single(await follower.QueryAuditAsync(new AuditQuery(AfterSequence: cursor), CancellationToken.None).Timed());
        Assert.Equal("DeleteNamespace", next.Operation);
    }
}
