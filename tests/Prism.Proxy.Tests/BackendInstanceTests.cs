using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Admin;
using Prism.Admin.V1;
using Prism.Backends.Drivers.Redis;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;
using Prism.Testing;
using Prism.Testing.Oidc;
using Prism.Testing.Servers;
using StackExchange.Redis;

namespace Prism.Proxy.Tests;

/// <summary>
/// Named backend instances on real servers, applied through the admin API and served by two proxies
/// sharing one PostgreSQL control store: each namespace writes to the server its slot binds, and a
/// slot moved to another instance is followed by every proxy without a failed call.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class BackendInstanceTests(RedisFixture redis, PostgresFixture postgres) : IAsyncLifetime
{
    private readonly TempDirectory _adminHome = new("prism-admin");
    private TestOidcIssuer _issuer = null!;
    private ModuleApp _admin = null!;
    private GrpcChannel _adminChannel = null!;
    private ProxyServer _first = null!;
    private ProxyServer _second = null!;
    private RedisServer _otherRedis = null!;
    private string _backendDatabase = "";

    private AdminService.AdminServiceClient Admin => new(_adminChannel);

    public async Task InitializeAsync()
    {
        var store = await postgres.CreateDatabaseAsync();
        _backendDatabase = await postgres.CreateDatabaseAsync();
        _otherRedis = await RedisServer.StartNewAsync();
        _issuer = await TestOidcIssuer.StartAsync();
        _admin = await ModuleApp.StartAsync(new AdminModule(), new Dictionary<string, string?>
        {
            ["home"] = _adminHome.Path,
            ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["admin:rate_limit_per_minute"] = "100000",
            ["security:oidc_issuer"] = _issuer.Issuer,
            ["admin:database_url"] = store,
            ["backends:health_timeout"] = "1s",
        });
        _adminChannel = GrpcChannel.ForAddress(_admin.BaseAddress);
        _first = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["proxy:id"] = "proxy-a" }, store, _issuer);
        _second = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["proxy:id"] = "proxy-b" }, store, _issuer);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _adminChannel.Dispose();
        await _admin.DisposeAsync();
        await _issuer.DisposeAsync();
        await _otherRedis.DisposeAsync();
        _adminHome.Dispose();
    }

    [Fact]
    public async Task NamespacesOnTwoRedisInstancesAndPostgres_WriteToTheirOwnServers_AndBackendsListTheirHealth()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (cache, sessions, pg) = ($"redis-cache-{suffix}", $"redis-sessions-{suffix}", $"pg-{suffix}");
        var (teamA, teamB, teamC) = ($"team-a-{suffix}", $"team-b-{suffix}", $"team-c-{suffix}");
        var applied = await Admin.ApplyAsync(new ApplyRequest
        {
            Backends = { Redis(cache, redis.Server.Configuration), Redis(sessions, _otherRedis.Configuration), Postgres(pg, _backendDatabase) },
            Namespaces = { KeyValueOn(teamA, cache), KeyValueOn(teamB, sessions), KeyValueOn(teamC, pg) },
        }, AdminCall());
        Assert.All(applied.Results, r => Assert.Equal("created", r.Action));

        var token = _issuer.MintToken("app@example.com", ["apps"]);
        foreach (var ns in new[] { teamA, teamB, teamC })
        {
            await _first.KeyValue.SetAsync(new SetRequest { Key = "owner", Value = ByteString.CopyFromUtf8(ns) }, ProxyServer.Call(token, ns));
            Assert.Equal(ns, (await _second.KeyValue.GetAsync(new GetRequest { Key = "owner" }, ProxyServer.Call(token, ns))).Value.ToStringUtf8());
        }

        // Checked on the servers themselves, with direct clients.
        await using var first = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        await using var second = await ConnectionMultiplexer.ConnectAsync(_otherRedis.Configuration);
        Assert.Equal(teamA, (string?)await first.GetDatabase().StringGetAsync(RedisKeyValueStore.KeyOf(teamA, "owner")));
        Assert.False(await second.GetDatabase().KeyExistsAsync(RedisKeyValueStore.KeyOf(teamA, "owner")));
        Assert.Equal(teamB, (string?)await second.GetDatabase().StringGetAsync(RedisKeyValueStore.KeyOf(teamB, "owner")));
        Assert.False(await first.GetDatabase().KeyExistsAsync(RedisKeyValueStore.KeyOf(teamB, "owner")));
        Assert.False(await first.GetDatabase().KeyExistsAsync(RedisKeyValueStore.KeyOf(teamC, "owner")));
        Assert.False(await second.GetDatabase().KeyExistsAsync(RedisKeyValueStore.KeyOf(teamC, "owner")));

        var listed = (await Admin.ListBackendsAsync(new ListBackendsRequest(), AdminCall())).Backends.ToDictionary(b => b.Name);
        Assert.Equal(("redis", "api", "redis://" + redis.Server.Configuration), (listed[cache].Type, listed[cache].Source, listed[cache].Endpoint));
        Assert.Equal(["url"], listed[sessions].SecretsSet);
        Assert.Empty(listed[sessions].Secrets);
        Assert.Equal("config", listed["memstore"].Source);
        var health = (await Admin.GetBackendStatusAsync(new GetBackendStatusRequest { Names = { cache, sessions, pg } }, AdminCall())).Statuses;
        Assert.All(health, s => Assert.NotEqual(Prism.Admin.V1.BackendHealth.Unhealthy, s.Health));
    }

    [Fact]
    public async Task SlotMovedToAnotherInstance_UnderRunningClients_EveryProxyFollowsWithoutAFailedCall()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (from, to, ns) = ($"redis-from-{suffix}", $"redis-to-{suffix}", $"moving-{suffix}");
        await Admin.ApplyAsync(new ApplyRequest
        {
            Backends = { Redis(from, redis.Server.Configuration), Redis(to, _otherRedis.Configuration) },
            Namespaces = { KeyValueOn(ns, from) },
        }, AdminCall());
        var token = _issuer.MintToken("app@example.com", ["apps"]);
        await using var target = await ConnectionMultiplexer.ConnectAsync(_otherRedis.Configuration);

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var calls = 0;
        async Task WriteLoopAsync(ProxyServer proxy, string key)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await proxy.KeyValue.SetAsync(new SetRequest { Key = key, Value = ByteString.CopyFromUtf8("v") }, ProxyServer.Call(token, ns));
                    Interlocked.Increment(ref calls);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        var writers = new[] { WriteLoopAsync(_first, "via-a"), WriteLoopAsync(_second, "via-b") };
        await Timeouts.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref calls) > 20), "both clients are writing");

        var current = (await Admin.GetNamespaceAsync(new GetNamespaceRequest { Name = ns }, AdminCall())).Namespace;
        current.Slots["keyvalue"].Bindings["store"] = to;
        current.Backends.Clear();
        await Admin.UpdateNamespaceAsync(new UpdateNamespaceRequest { Namespace = current }, AdminCall());

        // Both proxies write to the other server within their refresh interval (200 ms in these tests).
        await Timeouts.WaitUntilAsync(async () =>
            await target.GetDatabase().KeyExistsAsync(RedisKeyValueStore.KeyOf(ns, "via-a"))
            && await target.GetDatabase().KeyExistsAsync(RedisKeyValueStore.KeyOf(ns, "via-b")), "both proxies use the new instance");
        await stop.CancelAsync();
        await Task.WhenAll(writers).WaitAsync(Timeouts.Await);
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task BackendBoundByANamespace_CannotBeDeleted_AndAnUnreachableOneIsNotStored()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (bound, ns) = ($"redis-bound-{suffix}", $"user-{suffix}");
        await Admin.ApplyAsync(new ApplyRequest { Backends = { Redis(bound, redis.Server.Configuration) }, Namespaces = { KeyValueOn(ns, bound) } }, AdminCall());

        var refused = await Rpc.FailsAsync(StatusCode.FailedPrecondition,
            () => Admin.DeleteBackendAsync(new DeleteBackendRequest { Name = bound }, AdminCall()).ResponseAsync);
        Assert.Contains(ns, refused.Status.Detail);

        var unreachable = $"redis://secret-user:hunter2-{suffix}@127.0.0.1:{FreePort.Next()}";
        var failed = await Rpc.FailsAsync(StatusCode.FailedPrecondition,
            () => Admin.CreateBackendAsync(new CreateBackendRequest { Backend = Redis($"redis-down-{suffix}", unreachable) }, AdminCall()).ResponseAsync);
        Assert.Contains("connection test failed", failed.Status.Detail);
        Assert.DoesNotContain("hunter2", failed.Status.Detail);
        await Rpc.FailsAsync(StatusCode.NotFound, () => Admin.GetBackendAsync(new GetBackendRequest { Name = $"redis-down-{suffix}" }, AdminCall()).ResponseAsync);

        var wrongSlot = await Rpc.FailsAsync(StatusCode.InvalidArgument, () => Admin.ApplyAsync(new ApplyRequest
        {
            Namespaces = { new Namespace { Name = $"wrong-{suffix}", Patterns = { "pubsub" }, Slots = { ["pubsub"] = new PatternSlots { Bindings = { ["source"] = bound } } } } },
        }, AdminCall()).ResponseAsync);
        Assert.Contains($"namespace 'wrong-{suffix}'", wrongSlot.Status.Detail);
        Assert.Contains($"backend '{bound}' (redis) lacks capability pubsub.basic that slot source needs", wrongSlot.Status.Detail);
    }

    private static Backend Redis(string name, string configuration) =>
        new() { Name = name, Type = "redis", Secrets = { ["url"] = configuration.StartsWith("redis://", StringComparison.Ordinal) ? configuration : "redis://" + configuration } };

    private static Backend Postgres(string name, string connectionString) =>
        new() { Name = name, Type = "postgres", Secrets = { ["url"] = connectionString } };

    private static Namespace KeyValueOn(string name, string backend) => new()
    {
        Name = name,
        Patterns = { "keyvalue" },
        AccessGroups = { "apps" },
        Slots = { ["keyvalue"] = new PatternSlots { Bindings = { ["store"] = backend } } },
    };

    private CallOptions AdminCall() =>
        new(new Metadata { { "authorization", "Bearer " + _issuer.MintToken("admin@example.com", ["prism:admin"]) } }, DateTime.UtcNow.Add(Timeouts.Await));
}
