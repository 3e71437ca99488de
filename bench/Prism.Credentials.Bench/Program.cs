using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.ControlStore;
using Prism.Hosting.Modules;
using Prism.Proxy;
using Prism.Proxy.Bench;
using Prism.Testing;
using Prism.Testing.Oidc;
using Prism.Testing.Servers;

// The same proxy, the same engines, two credential modes: each backend (redis, postgres) is defined
// twice, static and dynamic, with a namespace on each. First call: a new session (new token) making
// its first Set, sequentially; steady state: Set/Get on established sessions, phases alternating.
var sessions = int.Parse(Value(args, "--sessions") ?? "40", CultureInfo.InvariantCulture);
var concurrency = int.Parse(Value(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
var seconds = int.Parse(Value(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
var rounds = int.Parse(Value(args, "--rounds") ?? "2", CultureInfo.InvariantCulture);
string[] Modes = ["static", "dynamic"];
var value = new byte[100];
Random.Shared.NextBytes(value);

await using var redis = await RedisServer.StartNewAsync();
var redisAdmin = await redis.RequireAuthenticationAsync();
await using var postgres = await PostgresServer.StartAsync();
var database = postgres.Url(await postgres.CreateDatabaseAsync());
await using var issuer = await TestOidcIssuer.StartAsync();
using var home = new TempDirectory("prism-credentials-bench");
var settings = new Dictionary<string, string?>
{
    ["home"] = home.Path,
    ["bind_address"] = "127.0.0.1",
    ["proxy:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
    ["security:oidc_issuer"] = issuer.Issuer,
};
foreach (var (name, type, url) in new[] { ("redis", "redis", redisAdmin), ("postgres", "postgres", database) })
{
    foreach (var mode in Modes)
    {
        settings[$"backends:instances:{name}-{mode}:type"] = type;
        settings[$"backends:instances:{name}-{mode}:url"] = url;
        settings[$"backends:instances:{name}-{mode}:credentials"] = mode;
        settings[$"backends:instances:{name}-{mode}:max_sessions"] = "1000";
    }
}

var proxy = await ModuleHost.StartAsync(new ProxyModule(), [], settings, logging => logging.SetMinimumLevel(LogLevel.Warning));
try
{
    var store = proxy.Services.GetRequiredService<IControlStore>();
    using var channel = GrpcChannel.ForAddress(ModuleHost.BoundAddress(proxy));
    Console.WriteLine($"Dynamic vs static credentials through one proxy, {Environment.ProcessorCount} CPUs, loopback, 100-byte values; "
        + $"first call: {sessions} new sessions one after another; steady state: {concurrency} workers on one session, {rounds} × {seconds} s alternating.");
    Console.WriteLine();
    Console.WriteLine("| backend | first call p50 µs static | dynamic | ratio | first call p99 µs static | dynamic | steady ops/s static | dynamic | ratio |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var backend in new[] { "redis", "postgres" })
    {
        var first = new Dictionary<string, Samples> { ["static"] = new(), ["dynamic"] = new() };
        var steady = new Dictionary<string, PhaseResult> { ["static"] = new(), ["dynamic"] = new() };
        var targets = new Dictionary<string, IKeyValueTarget>();
        foreach (var mode in Modes)
        {
            await CreateNamespaceAsync(store, $"bench-{backend}-{mode}", $"{backend}-{mode}");
        }

        // New sessions, the modes taking turns; the first three of each warm up (connections, JIT) and are not counted.
        for (var i = -3; i < sessions; i++)
        {
            foreach (var mode in Modes)
            {
                var elapsed = await FirstCallAsync(new ThroughProxy(channel, issuer.MintToken($"first-{backend}-{mode}-{i}@example.com", ["bench"],
                    lifetime: TimeSpan.FromHours(2)), $"bench-{backend}-{mode}"), value);
                if (i >= 0)
                {
                    first[mode].Add(elapsed);
                }
            }
        }

        foreach (var mode in Modes)
        {
            targets[mode] = new ThroughProxy(channel, issuer.MintToken($"steady-{backend}-{mode}@example.com", ["bench"], lifetime: TimeSpan.FromHours(2)),
                $"bench-{backend}-{mode}");
            await LoadRun.RunAsync(targets[mode], concurrency, TimeSpan.FromSeconds(2), value);
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var mode in Modes)
            {
                steady[mode].Merge(await LoadRun.RunAsync(targets[mode], concurrency, TimeSpan.FromSeconds(seconds), value));
            }
        }

        var (s50, d50) = (first["static"].PercentileMicros(50), first["dynamic"].PercentileMicros(50));
        Console.WriteLine($"| {backend} | {s50:0} | {d50:0} | {d50 / s50:0.0}× | {first["static"].PercentileMicros(99):0} | {first["dynamic"].PercentileMicros(99):0} | "
            + $"{steady["static"].OpsPerSecond:N0} | {steady["dynamic"].OpsPerSecond:N0} | {steady["dynamic"].OpsPerSecond / steady["static"].OpsPerSecond:0.00} |");
    }
}
finally
{
    await proxy.StopAsync();
    await proxy.DisposeAsync();
}

static async Task<long> FirstCallAsync(IKeyValueTarget target, byte[] value)
{
    var start = Stopwatch.GetTimestamp();
    await target.SetAsync("k", value);
    return Stopwatch.GetTimestamp() - start;
}

static Task CreateNamespaceAsync(IControlStore store, string name, string backend) => store.CreateNamespaceAsync(
    new NamespaceRecord(name, "benchmark", ["keyvalue"], NamespaceRecord.PrimarySlots(new Dictionary<string, string> { ["keyvalue"] = backend }), [],
        NamespaceQuotas.Defaults, new Dictionary<string, string>(), 1, "bench", DateTimeOffset.UtcNow, "bench", DateTimeOffset.UtcNow),
    new AuditRecord(Guid.NewGuid(), DateTimeOffset.UtcNow, "bench", [], "CreateNamespace", "namespace", name, name, null, true, null, "OK",
        new Dictionary<string, string>()),
    CancellationToken.None);

static string? Value(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
