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
using StackExchange.Redis;

// Get/Set through the proxy (redis backend, auth on with a cached validated token) against the same
// calls sent straight to Redis, and against a bare gRPC server (the transport's ceiling): same process,
// same concurrency, same value size, phases alternating.
var concurrencies = (Value(args, "--concurrency") ?? "1,16").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var seconds = int.Parse(Value(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
var rounds = int.Parse(Value(args, "--rounds") ?? "2", CultureInfo.InvariantCulture);
var valueBytes = int.Parse(Value(args, "--value-bytes") ?? "100", CultureInfo.InvariantCulture);
// --backend memstore measures the proxy's own cost: the same calls with no Redis behind it.
var backend = Value(args, "--backend") ?? "redis";
var value = new byte[valueBytes];
Random.Shared.NextBytes(value);

await using var redis = await RedisServer.StartNewAsync();
await using var issuer = await TestOidcIssuer.StartAsync();
using var home = new TempDirectory("prism-proxy-bench");
var proxy = await ModuleHost.StartAsync(new ProxyModule(), [], new Dictionary<string, string?>
{
    ["home"] = home.Path,
    ["bind_address"] = "127.0.0.1",
    ["proxy:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
    ["security:oidc_issuer"] = issuer.Issuer,
    ["backends:redis:url"] = redis.Configuration,
}, logging => logging.SetMinimumLevel(LogLevel.Warning));
var bare = await BareGrpcServer.StartAsync(FreePort.Next());

try
{
    const string Namespace = "bench";
    await proxy.Services.GetRequiredService<IControlStore>().CreateNamespaceAsync(
        new NamespaceRecord(Namespace, "benchmark", ["keyvalue"], NamespaceRecord.PrimarySlots(new Dictionary<string, string> { ["keyvalue"] = backend }), [],
            NamespaceQuotas.Defaults, new Dictionary<string, string>(), 1, "bench", DateTimeOffset.UtcNow, "bench", DateTimeOffset.UtcNow),
        new AuditRecord(Guid.NewGuid(), DateTimeOffset.UtcNow, "bench", [], "CreateNamespace", "namespace", Namespace, Namespace, null, true, null, "OK",
            new Dictionary<string, string>()),
        CancellationToken.None);

    await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
    using var proxyChannel = GrpcChannel.ForAddress(ModuleHost.BoundAddress(proxy));
    using var bareChannel = GrpcChannel.ForAddress(ModuleHost.BoundAddress(bare));
    // The bare server gets the same metadata as the proxy, so both carry the same bytes.
    var token = issuer.MintToken("bench@example.com", ["bench"], lifetime: TimeSpan.FromHours(2));
    var targets = new (string Name, IKeyValueTarget Target)[]
    {
        ("direct Redis", new DirectRedis(multiplexer.GetDatabase())),
        ("bare gRPC", new ThroughProxy(bareChannel, token, Namespace)),
        ("proxy → " + backend, new ThroughProxy(proxyChannel, token, Namespace)),
    };

    Report.Header(backend, valueBytes, seconds, rounds);
    foreach (var concurrency in concurrencies)
    {
        Console.Error.WriteLine($"concurrency {concurrency}: warming up...");
        foreach (var (_, target) in targets)
        {
            await LoadRun.RunAsync(target, concurrency, TimeSpan.FromSeconds(2), value);
        }

        var totals = targets.Select(_ => new PhaseResult()).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            Console.Error.WriteLine($"concurrency {concurrency}: round {round}/{rounds}");
            for (var i = 0; i < targets.Length; i++)
            {
                totals[i].Merge(await LoadRun.RunAsync(targets[i].Target, concurrency, TimeSpan.FromSeconds(seconds), value, redis.ProcessId));
            }
        }

        Report.Print(concurrency, [.. targets.Select((t, i) => (t.Name, totals[i]))]);
    }
}
finally
{
    await bare.StopAsync();
    await bare.DisposeAsync();
    await proxy.StopAsync();
    await proxy.DisposeAsync();
}

static string? Value(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
