using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prism.Admin.Operations;
using Prism.ControlStore;
using Prism.Hosting.Settings;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Admin.Tests;

/// <summary>The admin's background pruner, driven by fake time, against each store.</summary>
public abstract class RetentionPrunerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract Task<ControlDatabase> OpenDatabaseAsync();

    [Fact]
    public async Task PruneCycle_ShrinksAuditAndSessions_ToTheirRetention()
    {
        var time = new FakeTimeProvider(Start);
        await using var database = await OpenDatabaseAsync();
        var store = new ControlStore.ControlStore(database, NullLogger<ControlStore.ControlStore>.Instance);
        await store.MigrateAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var options = Options(new Dictionary<string, string?>
        {
            [AdminSettings.AuditRetention.Key] = "48h",
            [AdminSettings.AuditMaxRows.Key] = "40",
            [AdminSettings.SessionRetention.Key] = "24h",
            [AdminSettings.SessionMaxRows.Key] = "10",
            [AdminSettings.RetentionInterval.Key] = "10m",
        });

        // The first cycle runs one interval after start; everything is aged relative to that moment.
        var pruneAt = Start.AddMinutes(10);
        await store.AppendAuditBatchAsync([.. Enumerable.Range(0, 100).Reverse().Select(h => Audit(pruneAt.AddHours(-h), $"h{h}"))], CancellationToken.None);
        for (var h = 0; h < 30; h++)
        {
            await store.UpsertSessionAsync(Session($"s-{h:D2}", pruneAt.AddHours(-h)), CancellationToken.None);
        }

        using var pruner = new RetentionPruner(store, Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<RetentionPruner>.Instance);
        await pruner.StartAsync(CancellationToken.None);
        try
        {
            time.Advance(TimeSpan.FromMinutes(9));
            Assert.Equal(100, (await AuditAsync(store)).Count);

            time.Advance(TimeSpan.FromMinutes(1));
            await WaitUntilAsync(async () => (await AuditAsync(store)).Count == 40 && (await SessionsAsync(store)).Count == 10);
        }
        finally
        {
            await pruner.StopAsync(CancellationToken.None);
        }

        // Age kept the last 48 hours (49 entries); the count then kept the newest 40.
        Assert.Equal([.. Enumerable.Range(0, 40).Reverse().Select(h => $"h{h}")], (await AuditAsync(store)).Select(a => a.ResourceId));
        // Age kept the last 24 hours (25 sessions); the count then kept the 10 most recently active.
        Assert.Equal([.. Enumerable.Range(0, 10).Select(h => $"s-{h:D2}")], (await SessionsAsync(store)).Select(s => s.Id));
    }

    [Fact]
    public void Defaults_AreDocumentedValues_AndBadValuesNameTheVariable()
    {
        var defaults = Options([]);
        Assert.Equal(new RetentionPolicy(TimeSpan.FromDays(90), 1_000_000, TimeSpan.FromDays(30), 100_000), defaults.Retention);
        Assert.Equal((TimeSpan.FromMinutes(10), 60), (defaults.RetentionInterval, defaults.AnonymousRateLimitPerMinute));

        var off = Options(new Dictionary<string, string?> { [AdminSettings.AuditMaxRows.Key] = "0", [AdminSettings.RetentionInterval.Key] = "0" });
        Assert.Equal((0, TimeSpan.Zero), (off.Retention.AuditMaxRows, off.RetentionInterval));

        var age = Assert.Throws<ConfigurationException>(() => Options(new Dictionary<string, string?> { [AdminSettings.AuditRetention.Key] = "90 days" }));
        Assert.Contains("PRISM_ADMIN_AUDIT_RETENTION", age.Message, StringComparison.Ordinal);
        var rows = Assert.Throws<ConfigurationException>(() => Options(new Dictionary<string, string?> { [AdminSettings.SessionMaxRows.Key] = "-5" }));
        Assert.Contains("PRISM_ADMIN_SESSION_MAX_ROWS", rows.Message, StringComparison.Ordinal);
    }

    private static AdminOptions Options(Dictionary<string, string?> settings)
    {
        var options = new AdminOptions();
        options.ReadFrom(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return options;
    }

    private static async Task<IReadOnlyList<AuditRecord>> AuditAsync(IControlStore store) =>
        await store.QueryAuditAsync(new AuditQuery(Limit: 1000), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    private static async Task<IReadOnlyList<SessionRecord>> SessionsAsync(IControlStore store) =>
        (await store.ListSessionsAsync(new PageRequest(1000, null), null, true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30))).Items;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static AuditRecord Audit(DateTimeOffset at, string id) =>
        new(Guid.NewGuid(), at, "alice@example.com", [], "GetNamespace", "namespace", id, null, null, true, null, "OK", new Dictionary<string, string>());

    private static SessionRecord Session(string id, DateTimeOffset lastActivity) =>
        new(id, "bob@example.com", null, "orders", "proxy-1", SessionStatus.Closed, lastActivity.AddMinutes(-5), lastActivity, 1, 1, 1, null, null);
}

/// <summary>On SQLite.</summary>
public sealed class SqliteRetentionPrunerTests : RetentionPrunerTests, IDisposable
{
    private readonly TempDirectory _folder = new("prism-retention");

    protected override Task<ControlDatabase> OpenDatabaseAsync() =>
        Task.FromResult(ControlDatabase.Sqlite(Path.Combine(_folder.Path, "admin.db")));

    public void Dispose() => _folder.Dispose();
}

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresRetentionPrunerTests(PostgresFixture postgres) : RetentionPrunerTests
{
    protected override async Task<ControlDatabase> OpenDatabaseAsync() => ControlDatabase.Postgres(await postgres.CreateDatabaseAsync());
}
