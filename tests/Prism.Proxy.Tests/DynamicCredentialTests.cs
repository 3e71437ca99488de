using System.Diagnostics;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Npgsql;
using Prism.ControlStore;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;
using Prism.Testing.Servers;
using StackExchange.Redis;

namespace Prism.Proxy.Tests;

/// <summary>
/// Per-session backend credentials through a real proxy, on a redis-server in production posture
/// (no passwordless default user) and on PostgreSQL: the backend shows a session's own principal
/// while it lives and not after it ends (terminated, idle, proxy stopped); renewals under load fail
/// no call; a refusing backend answers UNAVAILABLE and leaves nothing behind.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed partial class DynamicCredentialTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Gone = TimeSpan.FromSeconds(5);
    private RedisServer _redis = null!;
    private string _redisAdmin = "";
    private string _database = "";

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _redisAdmin = await _redis.RequireAuthenticationAsync();
        _database = await postgres.Server.CreateDatabaseAsync();
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task RedisSession_HasItsOwnAclUser_UntilTerminated()
    {
        await using var proxy = await StartAsync(Dynamic("cache", "redis", _redisAdmin));
        var ns = await proxy.CreateNamespaceAsync(new Dictionary<string, string> { ["keyvalue"] = "cache" });
        var call = ProxyServer.Call(proxy.TokenFor("app@example.com"), ns);

        await proxy.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, call);
        Assert.Equal("v", (await proxy.KeyValue.GetAsync(new GetRequest { Key = "k" }, call)).Value.ToStringUtf8());

        var lease = Assert.Single(await LeasesAsync(proxy));
        Assert.Equal([lease.Principal], await RedisSessionUsersAsync());
        await proxy.Store.TerminateSessionAsync(lease.SessionId, "ops@example.com", "leaked token", TestNamespaces.Audit("TerminateSession"), CancellationToken.None);

        await WithinAsync(Gone, async () => (await RedisSessionUsersAsync()).Count == 0, "the ACL user is deleted after TerminateSession");
        Assert.Empty(await LeasesAsync(proxy));
        await Rpc.FailsAsync(StatusCode.PermissionDenied, proxy.KeyValue.GetAsync(new GetRequest { Key = "k" }, call));
        await AssertNoSecretInAsync(proxy);
    }

    [Fact]
    public async Task PostgresSession_HasItsOwnRole_UntilIdle_AndAnotherUntilTheProxyStops()
    {
        var proxy = await StartAsync(Dynamic("pg", "postgres", postgres.Server.Url(_database)), ("proxy:session_idle_timeout", "1s"));
        try
        {
            var ns = await proxy.CreateNamespaceAsync(new Dictionary<string, string> { ["keyvalue"] = "pg" });
            var call = ProxyServer.Call(proxy.TokenFor("app@example.com"), ns);
            await proxy.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, call);

            var idle = Assert.Single(await LeasesAsync(proxy));
            Assert.Equal([idle.Principal], await PostgresSessionRolesAsync());
            await WithinAsync(Gone + TimeSpan.FromSeconds(1), async () => (await PostgresSessionRolesAsync()).Count == 0, "the role is dropped once the session is idle");

            Assert.Equal("v", (await proxy.KeyValue.GetAsync(new GetRequest { Key = "k" }, call)).Value.ToStringUtf8());
            var second = Assert.Single(await LeasesAsync(proxy));
            Assert.NotEqual(idle.Principal, second.Principal);
            Assert.Equal([second.Principal], await PostgresSessionRolesAsync());
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await proxy.DisposeAsync();
            Assert.InRange(stopping.Elapsed, TimeSpan.Zero, Gone);
        }

        Assert.Empty(await PostgresSessionRolesAsync());
    }

    [Fact]
    public async Task RenewalsUnderLoad_FailNoCall()
    {
        await using var proxy = await StartAsync(
            Dynamic("cache", "redis", _redisAdmin, ttl: "1s"),
            Dynamic("pg", "postgres", postgres.Server.Url(_database), ttl: "1s"));
        var onRedis = await proxy.CreateNamespaceAsync(new Dictionary<string, string> { ["keyvalue"] = "cache" });
        var onPostgres = await proxy.CreateNamespaceAsync(new Dictionary<string, string> { ["keyvalue"] = "pg" });
        var token = proxy.TokenFor("busy@example.com");
        var calls = 0;

        // Renewal at half-life of a 1 s lease: three renewals take about 1.5 s; run 4 s.
        var until = DateTime.UtcNow.AddSeconds(4);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            var ns = worker % 2 == 0 ? onRedis : onPostgres;
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                var key = $"w{worker}-{i % 20}";
                await proxy.KeyValue.SetAsync(new SetRequest { Key = key, Value = ByteString.CopyFromUtf8("v") }, ProxyServer.Call(token, ns));
                Assert.True((await proxy.KeyValue.GetAsync(new GetRequest { Key = key }, ProxyServer.Call(token, ns))).Found);
                Interlocked.Add(ref calls, 2);
            }
        }));

        var renewals = await proxy.Store.QueryAuditAsync(new AuditQuery(Operation: "RenewCredential", Limit: 1000), CancellationToken.None);
        Assert.True(calls > 100, $"only {calls} calls ran");
        foreach (var lease in await LeasesAsync(proxy))
        {
            Assert.True(renewals.Count(r => r.ResourceId == lease.Id) >= 3, $"lease {lease.Id} on {lease.Backend} was renewed {renewals.Count(r => r.ResourceId == lease.Id)} times");
        }
    }

    [Fact]
    public async Task BackendThatRefusesToIssue_AnswersUnavailable_AndLeavesNothing()
    {
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(_redisAdmin))
        {
            await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "no-acl", "on", ">no-acl-pass", "~*", "&*", "+@all", "-acl");
        }

        await using var proxy = await StartAsync(Dynamic("weak", "redis", _redis.Configuration + ",user=no-acl,password=no-acl-pass"));
        var ns = await proxy.CreateNamespaceAsync(new Dictionary<string, string> { ["keyvalue"] = "weak" });

        var refused = await Rpc.FailsAsync(StatusCode.Unavailable,
            proxy.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, ProxyServer.Call(proxy.TokenFor("app@example.com"), ns)));

        Assert.StartsWith($"backend 'weak' refused a credential for namespace '{ns}': issue refused: NOPERM", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(await LeasesAsync(proxy));
        Assert.Empty(await RedisSessionUsersAsync());
        var failed = await proxy.Store.QueryAuditAsync(new AuditQuery(Operation: "IssueCredential"), CancellationToken.None);
        Assert.Contains(failed, a => !a.Success && a.Error!.Contains("NOPERM", StringComparison.Ordinal));
    }

    private static (string, string)[] Dynamic(string name, string type, string url, string ttl = "1h") =>
    [
        ($"backends:instances:{name}:type", type),
        ($"backends:instances:{name}:url", url),
        ($"backends:instances:{name}:credentials", "dynamic"),
        ($"backends:instances:{name}:lease_ttl", ttl),
    ];

    private static Task<ProxyServer> StartAsync(params (string Key, string Value)[][] groups) =>
        ProxyServer.StartAsync(groups.SelectMany(g => g).ToDictionary(s => s.Key, s => (string?)s.Value));

    private static Task<ProxyServer> StartAsync((string Key, string Value)[] instance, (string Key, string Value) extra) => StartAsync(instance, [extra]);

    private static Task<IReadOnlyList<LeaseRecord>> LeasesAsync(ProxyServer proxy) => proxy.Store.ListLeasesAsync(null, CancellationToken.None);

    private async Task<List<string>> RedisSessionUsersAsync()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redisAdmin);
        var users = (RedisResult[])(await admin.GetDatabase().ExecuteAsync("ACL", "USERS"))!;
        return [.. users.Select(u => (string)u!).Where(u => u.StartsWith("prism-s-", StringComparison.Ordinal))];
    }

    private async Task<List<string>> PostgresSessionRolesAsync()
    {
        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString(_database));
        await connection.OpenAsync();
        // Tests of this collection run one at a time: every session role in the cluster is this test's.
        await using var command = new NpgsqlCommand("SELECT rolname FROM pg_roles WHERE starts_with(rolname, 'prism_s_') ORDER BY rolname", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var roles = new List<string>();
        while (await reader.ReadAsync())
        {
            roles.Add(reader.GetString(0));
        }

        return roles;
    }

    private static async Task WithinAsync(TimeSpan limit, Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < limit, $"not within {limit.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Issued secrets are 64 hex characters: none may appear in a log line or an audit entry.</summary>
    private static async Task AssertNoSecretInAsync(ProxyServer proxy)
    {
        Assert.DoesNotContain(proxy.App.Logs.Entries, e => Secret().IsMatch(e.Message) || (e.Exception is { } x && Secret().IsMatch(x.ToString())));
        var audit = await proxy.Store.QueryAuditAsync(new AuditQuery(Limit: 1000), CancellationToken.None);
        Assert.Contains(audit, a => a.Operation == "IssueCredential");
        Assert.Contains(audit, a => a.Operation == "RevokeCredential" && a.Metadata["reason"].StartsWith("session terminated by ops@example.com", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, a => Secret().IsMatch(string.Join(' ', a.Metadata.Values)) || Secret().IsMatch(a.Error ?? ""));
    }

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex Secret();
}
