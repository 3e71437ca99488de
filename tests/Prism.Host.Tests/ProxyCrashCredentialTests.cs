using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Prism.ControlStore;
using Prism.Interfaces.KeyValue;
using Prism.Interfaces.PubSub;
using Prism.Testing.Servers;
using StackExchange.Redis;

namespace Prism.Host.Tests;

/// <summary>
/// SIGKILL of a real proxy process holding 20 sessions, each with its own Redis ACL user and
/// PostgreSQL role: a proxy started afterwards revokes all 40 credentials and their leases. That
/// proxy, stopped with SIGTERM as <c>dev down</c> stops it, revokes its own within 5 s.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class ProxyCrashCredentialTests(PostgresFixture postgres)
{
    private const int Sessions = 20;

    [Fact]
    public async Task Sigkill_WithLiveSessions_TheNextProxyRevokesEveryLease()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var redisAdmin = await redis.RequireAuthenticationAsync();
        var backendDatabase = await postgres.Server.CreateDatabaseAsync();
        var storeUrl = postgres.Server.Url(await postgres.Server.CreateDatabaseAsync());
        using var prism = new PrismCli();
        prism.Environment["PRISM_AUTH_DISABLED"] = "true";
        prism.Environment["PRISM_DATABASE_URL"] = storeUrl;
        prism.Environment["PRISM_PROXY_LEASE_HOLDER_TIMEOUT"] = "3s";
        prism.Environment["PRISM_PROXY_LEASE_SWEEP_INTERVAL"] = "1s";
        var config = Path.Combine(prism.Home, "prism.yaml");
        prism.Environment["PRISM_CONFIG"] = config;
        await File.WriteAllTextAsync(config, $"""
            backends:
              instances:
                cache:
                  type: redis
                  url: "{redisAdmin}"
                  credentials: dynamic
                pg:
                  type: postgres
                  url: "{postgres.Server.Url(backendDatabase)}"
                  credentials: dynamic
            """);
        var namespaces = await CreateNamespacesAsync(storeUrl);

        var first = ProxyProcess.Start(prism, "proxy-a");
        try
        {
            await first.WaitServingAsync();
            var keyValue = new KeyValueBasicInterface.KeyValueBasicInterfaceClient(first.Channel);
            var pubSub = new PubSubBasicInterface.PubSubBasicInterfaceClient(first.Channel);
            foreach (var ns in namespaces)
            {
                var call = Call(ns);
                await keyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8(ns) }, call);
                Assert.True((await pubSub.PublishAsync(new PublishRequest { Topic = "t", Payload = ByteString.CopyFromUtf8("m") }, call)).Success);
            }

            Assert.Equal(Sessions, (await RedisUsersAsync(redisAdmin)).Count);
            Assert.Equal(Sessions, (await PostgresRolesAsync(postgres.Server.ConnectionString(backendDatabase))).Count);
            Assert.Equal(2 * Sessions, (await LeasesAsync(storeUrl)).Count);
        }
        finally
        {
            await first.DisposeAsync(); // SIGKILL
        }

        // Nobody revoked anything: the killed proxy's credentials are all still there.
        Assert.Equal(Sessions, (await RedisUsersAsync(redisAdmin)).Count);
        Assert.Equal(2 * Sessions, (await LeasesAsync(storeUrl)).Count);

        var second = ProxyProcess.Start(prism, "proxy-b");
        try
        {
            await second.WaitServingAsync();
            await WaitUntilAsync(async () => (await RedisUsersAsync(redisAdmin)).Count == 0
                && (await PostgresRolesAsync(postgres.Server.ConnectionString(backendDatabase))).Count == 0
                && (await LeasesAsync(storeUrl)).Count == 0);

            await new KeyValueBasicInterface.KeyValueBasicInterfaceClient(second.Channel)
                .SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, Call(namespaces[0]));
            Assert.Single(await RedisUsersAsync(redisAdmin));
            var stopping = Stopwatch.StartNew();
            using (var term = Process.Start("kill", ["-TERM", second.Process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            await second.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Empty(await RedisUsersAsync(redisAdmin));
            Assert.Empty(await LeasesAsync(storeUrl));
            Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private static async Task<List<string>> CreateNamespacesAsync(string storeUrl)
    {
        await using var database = ControlDatabase.Postgres(storeUrl);
        var store = new ControlStore.ControlStore(database, NullLogger<ControlStore.ControlStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var names = new List<string>();
        for (var i = 0; i < Sessions; i++)
        {
            var name = $"tenant-{i}";
            var slots = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["keyvalue"] = new Dictionary<string, string> { ["store"] = "cache" },
                ["pubsub"] = new Dictionary<string, string> { ["source"] = "pg" },
            };
            await store.CreateNamespaceAsync(new NamespaceRecord(name, "", ["keyvalue", "pubsub"], slots, [], new NamespaceQuotas(0, 0),
                    new Dictionary<string, string>(), 1, "tests", DateTimeOffset.UtcNow, "tests", DateTimeOffset.UtcNow),
                new AuditRecord(Guid.NewGuid(), DateTimeOffset.UtcNow, "tests", [], "CreateNamespace", "namespace", name, name, null, true, null, "OK",
                    new Dictionary<string, string>()), CancellationToken.None);
            names.Add(name);
        }

        return names;
    }

    private static async Task<IReadOnlyList<LeaseRecord>> LeasesAsync(string storeUrl)
    {
        await using var database = ControlDatabase.Postgres(storeUrl);
        return await new ControlStore.ControlStore(database, NullLogger<ControlStore.ControlStore>.Instance).ListLeasesAsync(null, CancellationToken.None);
    }

    private static async Task<List<string>> RedisUsersAsync(string admin)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(admin);
        var users = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("ACL", "USERS"))!;
        return [.. users.Select(u => (string)u!).Where(u => u.StartsWith("prism-s-", StringComparison.Ordinal))];
    }

    private static async Task<List<string>> PostgresRolesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT rolname FROM pg_roles WHERE starts_with(rolname, 'prism_s_')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var roles = new List<string>();
        while (await reader.ReadAsync())
        {
            roles.Add(reader.GetString(0));
        }

        return roles;
    }

    private static CallOptions Call(string @namespace) =>
        new(new Metadata { { "x-prism-namespace", @namespace } }, DateTime.UtcNow.AddSeconds(20));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 60 s");
            await Task.Delay(200);
        }
    }
}
