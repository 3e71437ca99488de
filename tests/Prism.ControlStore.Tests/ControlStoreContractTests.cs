using Microsoft.Extensions.Logging.Abstractions;

namespace Prism.ControlStore.Tests;

/// <summary>
/// The behaviour every <see cref="IControlStore"/> must have. Run against SQLite and PostgreSQL by the
/// subclasses; each test gets its own empty, migrated database.
/// </summary>
public abstract partial class ControlStoreContractTests : IAsyncLifetime
{
    private readonly List<ControlDatabase> _databases = [];
    private Func<ControlDatabase> _openDatabase = null!;

    /// <summary>The store under test, migrated.</summary>
    protected ControlStore Store { get; private set; } = null!;

    /// <summary>Creates an empty database; the result opens a new handle on it at each call.</summary>
    protected abstract Task<Func<ControlDatabase>> CreateEmptyDatabaseAsync();

    /// <summary>Releases what <see cref="CreateEmptyDatabaseAsync"/> created, after every handle is closed.</summary>
    protected virtual ValueTask ReleaseDatabasesAsync() => ValueTask.CompletedTask;

    /// <summary>A store on another handle to the database of <paramref name="open"/> (the test's by default), as another process would have.</summary>
    protected ControlStore OpenStore(Func<ControlDatabase>? open = null)
    {
        var database = (open ?? _openDatabase)();
        _databases.Add(database);
        return new ControlStore(database, NullLogger<ControlStore>.Instance);
    }

    public async Task InitializeAsync()
    {
        _openDatabase = await CreateEmptyDatabaseAsync().Timed();
        Store = OpenStore();
        await Store.MigrateAsync(CancellationToken.None).Timed();
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync().AsTask().Timed();
        }

        await ReleaseDatabasesAsync().AsTask().Timed();
    }

    [Fact]
    public async Task Ping_AnswersTrue()
    {
        Assert.True(await Store.PingAsync(CancellationToken.None).Timed());
    }

    [Fact]
    public async Task CreateNamespace_ThenGet_ReturnsEveryFieldAtVersion1()
    {
        var draft = TestRecords.Namespace("analytics") with { Version = 7 };

        var created = await Store.CreateNamespaceAsync(draft, TestRecords.Audit(), CancellationToken.None).Timed();
        var read = await Store.GetNamespaceAsync("analytics", CancellationToken.None).Timed();

        Assert.NotNull(read);
        foreach (var record in new[] { created, read })
        {
            Assert.Equal("analytics", record.Name);
            Assert.Equal(draft.Description, record.Description);
            Assert.Equal(draft.Patterns, record.Patterns);
            Assert.Equal(draft.Slots.Select(p => (p.Key, p.Value.Single())).Order(), record.Slots.Select(p => (p.Key, p.Value.Single())).Order());
            Assert.Equal(draft.AccessGroups, record.AccessGroups);
            Assert.Equal(draft.Quotas, record.Quotas);
            Assert.Equal(draft.Labels.OrderBy(b => b.Key), record.Labels.OrderBy(b => b.Key));
            Assert.Equal(1, record.Version);
            Assert.Equal(draft.CreatedBy, record.CreatedBy);
            Assert.Equal(TestRecords.Stored(draft.CreatedAt), record.CreatedAt);
            Assert.Equal(TestRecords.Stored(draft.UpdatedAt), record.UpdatedAt);
            Assert.Equal(TimeSpan.Zero, record.CreatedAt.Offset);
        }
    }

    [Fact]
    public async Task GetNamespace_Missing_ReturnsNull()
    {
        Assert.Null(await Store.GetNamespaceAsync("nope", CancellationToken.None).Timed());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public async Task ListNamespaces_PagesEveryNameOnceInOrdinalOrder(int pageSize)
    {
        string[] names = ["orders", "a-1", "zeta", "b", "a", "a-10", "a-2", "m"];
        foreach (var name in names)
        {
            await Store.CreateNamespaceAsync(TestRecords.Namespace(name), TestRecords.Audit(@namespace: name), CancellationToken.None).Timed();
        }

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await Store.ListNamespacesAsync(new PageRequest(pageSize, after), CancellationToken.None).Timed();
            Assert.InRange(page.Items.Count, 1, pageSize);
            seen.AddRange(page.Items.Select(n => n.Name));
            after = page.LastKey;
            Assert.True(after is null || after == page.Items[^1].Name);
            Assert.True(++pages <= names.Length, "paging did not end");
        }
        while (after is not null);

        Assert.Equal(names.Order(StringComparer.Ordinal), seen);
        Assert.Equal((names.Length + pageSize - 1) / pageSize, pages);
    }

    [Fact]
    public async Task ListNamespaces_Empty_ReturnsNoItemsAndNoKey()
    {
        var page = await Store.ListNamespacesAsync(new PageRequest(10, null), CancellationToken.None).Timed();

        Assert.Empty(page.Items);
        Assert.Null(page.LastKey);
    }

    [Fact]
    public async Task CreateNamespace_Duplicate_ThrowsAlreadyExists_AndKeepsTheFirst()
    {
        await Store.CreateNamespaceAsync(TestRecords.Namespace("orders", "first"), TestRecords.Audit(), CancellationToken.None).Timed();

        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(
            () => Store.CreateNamespaceAsync(TestRecords.Namespace("orders", "second"), TestRecords.Audit(), CancellationToken.None)).Timed();

        Assert.Equal("first", (await Store.GetNamespaceAsync("orders", CancellationToken.None).Timed())!.Description);
        Assert.Single(await Store.QueryAuditAsync(new AuditQuery(Operation: "CreateNamespace"), CancellationToken.None).Timed());
    }

    [Fact]
    public async Task UpdateNamespace_AtCurrentVersion_BumpsVersion_AndKeepsCreation()
    {
        var created = await Store.CreateNamespaceAsync(TestRecords.Namespace("orders"), TestRecords.Audit(), CancellationToken.None).Timed();
        var later = TestRecords.Now.AddMinutes(5);

        var updated = await Store.UpdateNamespaceAsync(
            created with { Description = "changed", Patterns = ["keyvalue"], CreatedBy = "mallory", UpdatedBy = "bob", UpdatedAt = later },
            TestRecords.Audit("UpdateNamespace"), CancellationToken.None).Timed();

        Assert.Equal(2, updated.Version);
        var read = (await Store.GetNamespaceAsync("orders", CancellationToken.None).Timed())!;
        Assert.Equal(2, read.Version);
        Assert.Equal("changed", read.Description);
        Assert.Equal(["keyvalue"], read.Patterns);
        Assert.Equal("alice@example.com", read.CreatedBy);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
        Assert.Equal("bob", read.UpdatedBy);
        Assert.Equal(TestRecords.Stored(later), read.UpdatedAt);
    }

    [Fact]
    public async Task UpdateNamespace_WithStaleVersion_ThrowsConflict_AndChangesNothing()
    {
        var created = await Store.CreateNamespaceAsync(TestRecords.Namespace("orders"), TestRecords.Audit(), CancellationToken.None).Timed();
        await Store.UpdateNamespaceAsync(created with { Description = "v2" }, TestRecords.Audit("UpdateNamespace"), CancellationToken.None).Timed();

        var conflict = await Assert.ThrowsAsync<VersionConflictException>(
            () => Store.UpdateNamespaceAsync(created with { Description = "stale" }, TestRecords.Audit("UpdateNamespace"), CancellationToken.None)).Timed();

        Assert.Contains("version 2", conflict.Message, StringComparison.Ordinal);
        var read = (await Store.GetNamespaceAsync("orders", CancellationToken.None).Timed())!;
        Assert.Equal(("v2", 2L), (read.Description, read.Version));
        Assert.Single(await Store.QueryAuditAsync(new AuditQuery(Operation: "UpdateNamespace"), CancellationToken.None).Timed());
    }

    [Fact]
    public async Task UpdateOrDeleteNamespace_Missing_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(
            () => Store.UpdateNamespaceAsync(TestRecords.Namespace("ghost"), TestRecords.Audit(), CancellationToken.None)).Timed();
        await Assert.ThrowsAsync<ResourceNotFoundException>(
            () => Store.DeleteNamespaceAsync("ghost", 0, TestRecords.Audit(), CancellationToken.None)).Timed();
        Assert.Empty(await Store.QueryAuditAsync(new AuditQuery(), CancellationToken.None).Timed());
    }

    [Fact]
    public async Task DeleteNamespace_ChecksVersion_AndZeroDeletesAnyVersion()
    {
        var created = await Store.CreateNamespaceAsync(TestRecords.Namespace("orders"), TestRecords.Audit(), CancellationToken.None).Timed();
        await Store.UpdateNamespaceAsync(created, TestRecords.Audit("UpdateNamespace"), CancellationToken.None).Timed();

        await Assert.ThrowsAsync<VersionConflictException>(
            () => Store.DeleteNamespaceAsync("orders", 1, TestRecords.Audit("DeleteNamespace"), CancellationToken.None)).Timed();
        Assert.NotNull(await Store.GetNamespaceAsync("orders", CancellationToken.None).Timed());

        await Store.DeleteNamespaceAsync("orders", 2, TestRecords.Audit("DeleteNamespace"), CancellationToken.None).Timed();
        Assert.Null(await Store.GetNamespaceAsync("orders", CancellationToken.None).Timed());

        await Store.CreateNamespaceAsync(TestRecords.Namespace("orders"), TestRecords.Audit(), CancellationToken.None).Timed();
        await Store.DeleteNamespaceAsync("orders", 0, TestRecords.Audit("DeleteNamespace"), CancellationToken.None).Timed();
        Assert.Null(await Store.GetNamespaceAsync("orders", CancellationToken.None).Timed());
    }
}
