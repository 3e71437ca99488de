using Prism.Backends.Drivers.Postgres;
using Prism.Backends.Drivers.Redis;
using Microsoft.Extensions.Time.Testing;
using Prism.Backends.Drivers.Memstore;
using Prism.Backends.Drivers.Sqlite;
using Prism.Backends.KeyValue;
using Prism.Backends.Tests.Support;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.KeyValue;

public sealed class MemstoreKeyValueTests : KeyValueContract
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MemoryKeyValueStore _store;

    public MemstoreKeyValueTests() => _store = new MemoryKeyValueStore(_time, BackendDriverOptions.Default);

    protected override IKeyValueStore Store => _store;

    protected override async Task LetExpireAsync(Func<Task<bool>> isGone)
    {
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(await isGone(), "expired before its time");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await isGone());
    }

    public override async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Writes_PastTheMemoryLimit_AreRefusedNamingIt_LosingNothing_AndDeletesOrExpiredKeysMakeRoom()
    {
        await using var store = new MemoryKeyValueStore(_time, BackendDriverOptions.Default with { MemstoreKeyValueBytes = 1024 * 1024 });
        var value = new byte[100 * 1024];
        Task SetAsync(string key) => store.SetAsync(Ns, key, value, null, default);
        for (var i = 0; i < 10; i++)
        {
            await SetAsync("k" + i);
        }

        var full = await Assert.ThrowsAsync<BackendFullException>(() => SetAsync("k10"));
        Assert.StartsWith("memstore key-value store is full: it holds 1 MB of keys and values ('backends:memstore:keyvalue_memory_mb' "
            + "(PRISM_MEMSTORE_KEYVALUE_MEMORY_MB))", full.Message, StringComparison.Ordinal);
        Assert.False((await store.GetAsync(Ns, "k10", default)).Found);
        Assert.All(await store.BatchGetAsync(Ns, [.. Enumerable.Range(0, 10).Select(i => "k" + i)], default), v => Assert.Equal(value.Length, v.Value.Length));

        await SetAsync("k0");
        await store.DeleteAsync(Ns, "k0", default);
        await SetAsync("k10");
        await store.ExpireAsync(Ns, "k1", TimeSpan.FromSeconds(1), default);
        await Assert.ThrowsAsync<BackendFullException>(() => SetAsync("k11"));
        _time.Advance(TimeSpan.FromSeconds(2));
        await SetAsync("k11");
        Assert.True((await store.GetAsync(Ns, "k11", default)).Found);
    }

    [Fact]
    public async Task ExpiredEntries_ArePurgedByTheTimer()
    {
        await _store.SetAsync(Ns, "k", "x"u8.ToArray(), null, default);
        await _store.ExpireAsync(Ns, "k", TimeSpan.FromSeconds(1), default);
        Assert.Equal(1, _store.Count);

        _time.Advance(BackendDriverOptions.Default.PurgeInterval);

        await Timeouts.EventuallyAsync(() => Task.FromResult(_store.Count == 0), "the purge ran");
    }
}

public sealed class SqliteKeyValueTests : KeyValueContract
{
    private readonly TempDirectory _folder = new("prism-sqlite");
    private SqliteKeyValueStore? _store;

    protected override IKeyValueStore Store => _store!;

    public override Task InitializeAsync()
    {
        _store = Create();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await _store!.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task Values_SurviveANewDriverOnTheSameFile()
    {
        await Store.SetAsync(Ns, "durable", "kept"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        await using var reopened = Create();

        Assert.Equal("kept"u8.ToArray(), (await reopened.GetAsync(Ns, "durable", default).WaitAsync(Timeouts.Await)).Value.ToArray());
    }

    [Fact]
    public async Task Purge_DeletesExpiredRows()
    {
        await Store.SetAsync(Ns, "short", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await Store.ExpireAsync(Ns, "short", TimeSpan.FromSeconds(1), default).WaitAsync(Timeouts.Await);

        await LetExpireAsync(async () => await _store!.PurgeAsync(default) == 1);
    }

    private SqliteKeyValueStore Create() =>
        new(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.Path, "kv.db"), Pooling = true }.ToString(),
            TimeProvider.System, BackendDriverOptions.Default);
}

[Collection(RedisCollection.Redis)]
public sealed class RedisKeyValueTests(RedisFixture redis) : KeyValueContract
{
    private TestBackends? _drivers;

    protected override IKeyValueStore Store => _drivers!.Registry.KeyValue("redis")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, redis.Server.Configuration)));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}

[Collection(PostgresFixture.Collection)]
public sealed class PostgresKeyValueTests(PostgresFixture postgres) : KeyValueContract
{
    private TestBackends? _drivers;

    protected override IKeyValueStore Store => _drivers!.Registry.KeyValue("postgres")!;

    public override async Task InitializeAsync() =>
        _drivers = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, await SharedDatabase.UrlAsync(postgres).WaitAsync(Timeouts.Await))));

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}

/// <summary>The contract on a 3-master Redis Cluster, the instance URL naming every node.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterKeyValueTests(RedisClusterFixture redis) : KeyValueContract
{
    private TestBackends? _drivers;

    protected override IKeyValueStore Store => _drivers!.Registry.KeyValue("redis")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, redis.Cluster.Url)));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}
