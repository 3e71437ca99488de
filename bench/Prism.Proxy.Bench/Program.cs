using System.Globalization;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.Admin.Store;
using Prism.Hosting.Modules;
using Prism.Proxy;
using Prism.Proxy.Bench;
using Prism.Testing;
using Prism.Testing.Oidc;
using Prism.Testing.Servers;
using StackExchange.Redis;

// Get/Set through the proxy (redis backend, auth on with a cached validated token) against the same
// calls sent straight to Redis: same process, same concurrency, same value size, alternating phases.
var concurrency = Option(args, "--concurrency", 16);
var seconds = Option(args, "--seconds", 5);
var rounds = Option(args, "--rounds", 2);
var valueBytes = Option(args, "--value-bytes", 100);
// --backend memstore measures the proxy's own cost: the same calls with no Redis behind it.
var backend = args.SkipWhile(a => a != "--backend").Skip(1).FirstOrDefault() ?? "redis";
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

try
{
    const string Namespace = "bench";
    await proxy.Services.GetRequiredService<IAdminStore>().CreateNamespaceAsync(
        new NamespaceRecord(Namespace, "benchmark", ["keyvalue"], new Dictionary<string, string> { ["keyvalue"] = backend }, [],
            NamespaceQuotas.Defaults, new Dictionary<string, string>(), 1, "bench", DateTimeOffset.UtcNow, "bench", DateTimeOffset.UtcNow),
        new AuditRecord(Guid.NewGuid(), DateTimeOffset.UtcNow, "bench", [], "CreateNamespace", "namespace", Namespace, Namespace, null, true, null, "OK",
            new Dictionary<string, string>()),
        CancellationToken.None);

    await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
    using var channel = GrpcChannel.ForAddress(ModuleHost.BoundAddress(proxy));
    var direct = new DirectRedis(multiplexer.GetDatabase());
    var viaProxy = new ThroughProxy(channel, issuer.MintToken("bench@example.com", ["bench"], lifetime: TimeSpan.FromHours(2)), Namespace);

    Console.Error.WriteLine($"warming up ({concurrency} workers, {valueBytes}-byte values)...");
    await LoadRun.RunAsync(direct, concurrency, TimeSpan.FromSeconds(2), value);
    await LoadRun.RunAsync(viaProxy, concurrency, TimeSpan.FromSeconds(2), value);

    var directTotal = new PhaseResult();
    var proxyTotal = new PhaseResult();
    for (var round = 1; round <= rounds; round++)
    {
        Console.Error.WriteLine($"round {round}/{rounds}: direct {seconds}s, proxy {seconds}s");
        directTotal.Merge(await LoadRun.RunAsync(direct, concurrency, TimeSpan.FromSeconds(seconds), value));
        proxyTotal.Merge(await LoadRun.RunAsync(viaProxy, concurrency, TimeSpan.FromSeconds(seconds), value));
    }

    Report.Print(directTotal, proxyTotal, backend, concurrency, valueBytes, seconds, rounds);
}
finally
{
    await proxy.StopAsync();
    await proxy.DisposeAsync();
}

static int Option(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
