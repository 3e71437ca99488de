using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.Backends;
using Prism.ControlStore;
using Prism.Hosting.Modules;
using Prism.Proxy;
using Prism.Proxy.Bench;
using Prism.Queue.Bench;
using Prism.Testing;
using Prism.Testing.Oidc;
using Prism.Testing.Servers;
using StackExchange.Redis;

// Publish→ack through the proxy against the same engine used directly: producers publish (each
// waits for its acknowledgement) while one consumer receives, acks, and measures end-to-end latency
// from the publish time written in the payload. Same process, same run, phases alternating.
var producers = int.Parse(Value(args, "--producers") ?? "16", CultureInfo.InvariantCulture);
var seconds = int.Parse(Value(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
var rounds = int.Parse(Value(args, "--rounds") ?? "2", CultureInfo.InvariantCulture);
// --consumers 0 measures publishing alone.
var consumers = int.Parse(Value(args, "--consumers") ?? "1", CultureInfo.InvariantCulture);
// --engines nats or redis measures one engine.
var engines = (Value(args, "--engines") ?? "nats,redis").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
// Prism.Client's PublishCallsInFlight (default: the client's).
var publishCalls = Value(args, "--publish-calls") is { } calls ? int.Parse(calls, CultureInfo.InvariantCulture) : (int?)null;
// --only driver,proxy,client (any of them) measures direct and those targets alone, e.g. to profile one.
var only = Value(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

await using var nats = await NatsServer.StartNewAsync();
await using var redis = await RedisServer.StartNewAsync();
await using var issuer = await TestOidcIssuer.StartAsync();
using var home = new TempDirectory("prism-queue-bench");
var proxy = await ModuleHost.StartAsync(new ProxyModule(), [], new Dictionary<string, string?>
{
    ["home"] = home.Path,
    ["bind_address"] = "127.0.0.1",
    ["proxy:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
    ["security:oidc_issuer"] = issuer.Issuer,
    ["backends:redis:url"] = redis.Configuration,
    ["backends:nats:url"] = nats.Url,
}, logging => logging.SetMinimumLevel(LogLevel.Warning));

try
{
    var store = proxy.Services.GetRequiredService<IControlStore>();
    using var channel = GrpcChannel.ForAddress(ModuleHost.BoundAddress(proxy));
    var token = issuer.MintToken("bench@example.com", ["bench"], lifetime: TimeSpan.FromHours(2));
    await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
    Console.WriteLine($"Queue publish→ack, {producers} producers (each awaits its ack), {consumers} consumer acking each message, 64-byte payloads, "
        + $"{rounds} × {seconds} s per target alternating, {Environment.ProcessorCount} CPUs, loopback, one process.");
    Console.WriteLine();
    Console.WriteLine("| engine | target | published/s | consumed/s | e2e p50 ms | e2e p99 ms | published vs direct | CPU µs/message: bench process | engine server |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var engine in engines)
    {
        var enginePid = engine == "nats" ? nats.ProcessId : redis.ProcessId;
        await CreateNamespaceAsync(store, "bench-" + engine, engine);
        IQueueTarget direct = engine == "nats"
            ? await DirectJetStream.CreateAsync(nats.Url, "BENCHDIRECT")
            : new DirectRedisStreams(multiplexer.GetDatabase(), "bench:direct");
        var driver = proxy.Services.GetRequiredService<BackendDrivers>().Queue(engine)!;
        var targets = new (string Key, string Name, IQueueTarget Target)[]
        {
            ("direct", "direct " + (engine == "nats" ? "JetStream" : "Redis Streams"), direct),
            ("driver", "Prism's " + engine + " driver, no proxy", new InProcessDriverQueue(driver, "bench-" + engine, "jobs-driver")),
            ("proxy", "proxy → " + engine, new ThroughProxyQueue(channel, token, "bench-" + engine, "jobs")),
            ("client", "proxy → " + engine + " (Prism.Client)", new ThroughPrismClientQueue(channel, ModuleHost.BoundAddress(proxy), token, "bench-" + engine, "jobs-client", publishCalls)),
        };
        targets = [.. targets.Where(t => t.Key == "direct" || only is null || only.Contains(t.Key))];
        var results = targets.Select(_ => new QueueResult()).ToArray();
        using var stop = new CancellationTokenSource();
        var latencies = targets.Select(_ => new Samples()).ToArray();
        var consumed = new long[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            var index = i;
            if (consumers == 0)
            {
                await PublishForAsync(targets[i].Target, producers, TimeSpan.FromSeconds(1));
                continue;
            }

            await targets[i].Target.StartConsumerAsync(payload =>
            {
                var sent = BinaryPrimitives.ReadInt64LittleEndian(payload.Span);
                lock (latencies[index])
                {
                    latencies[index].Add(Stopwatch.GetTimestamp() - sent);
                }

                Interlocked.Increment(ref consumed[index]);
            }, stop.Token);
            await PublishForAsync(targets[i].Target, producers, TimeSpan.FromSeconds(1)); // warm-up
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < targets.Length; i++)
            {
                lock (latencies[i])
                {
                    if (round == 0)
                    {
                        latencies[i] = new Samples();
                    }
                }

                var before = Interlocked.Read(ref consumed[i]);
                var (processCpu, engineCpu) = (Process.GetCurrentProcess().TotalProcessorTime, CpuTime.Of(enginePid));
                var published = await PublishForAsync(targets[i].Target, producers, TimeSpan.FromSeconds(seconds));
                results[i].Add(published, Interlocked.Read(ref consumed[i]) - before, TimeSpan.FromSeconds(seconds),
                    Process.GetCurrentProcess().TotalProcessorTime - processCpu, CpuTime.Of(enginePid) - engineCpu);
            }
        }

        for (var i = 0; i < targets.Length; i++)
        {
            double P(double p)
            {
                lock (latencies[i])
                {
                    return latencies[i].PercentileMicros(p) / 1000;
                }
            }

            if (targets[i].Key is "proxy" or "client")
            {
                Prism.Bench.Summary.Line("queue", $"{targets[i].Name} published vs direct, {producers} producers", results[i].PublishedPerSecond / results[0].PublishedPerSecond, "≥ 0.50 at 16");
            }

            Console.WriteLine($"| {engine} | {targets[i].Name} | {results[i].PublishedPerSecond:N0} | {results[i].ConsumedPerSecond:N0} | {P(50):0.0} | {P(99):0.0} | "
                + $"{results[i].PublishedPerSecond / results[0].PublishedPerSecond:0.00} | {results[i].ProcessCpuMicros:0.0} | {results[i].EngineCpuMicros:0.0} |");
        }

        await stop.CancelAsync();
        foreach (var (_, _, target) in targets)
        {
            await target.DisposeAsync();
        }
    }
}
finally
{
    await proxy.StopAsync();
    await proxy.DisposeAsync();
}

static async Task<long> PublishForAsync(IQueueTarget target, int producers, TimeSpan duration)
{
    using var stop = new CancellationTokenSource(duration);
    var counts = await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
    {
        var payload = new byte[64];
        long count = 0;
        while (!stop.IsCancellationRequested)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
            await target.PublishAsync((byte[])payload.Clone());
            count++;
        }

        return count;
    })));
    return counts.Sum();
}

static Task CreateNamespaceAsync(IControlStore store, string name, string backend) => store.CreateNamespaceAsync(
    new NamespaceRecord(name, "benchmark", ["queue"], NamespaceRecord.PrimarySlots(new Dictionary<string, string> { ["queue"] = backend }), [],
        NamespaceQuotas.Defaults, new Dictionary<string, string>(), 1, "bench", DateTimeOffset.UtcNow, "bench", DateTimeOffset.UtcNow),
    new AuditRecord(Guid.NewGuid(), DateTimeOffset.UtcNow, "bench", [], "CreateNamespace", "namespace", name, name, null, true, null, "OK",
        new Dictionary<string, string>()),
    CancellationToken.None);

static string? Value(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

internal sealed class QueueResult
{
    private long _published;
    private long _consumed;
    private TimeSpan _elapsed;
    private TimeSpan _processCpu;
    private TimeSpan _engineCpu;

    public double PublishedPerSecond => _published / _elapsed.TotalSeconds;

    public double ConsumedPerSecond => _consumed / _elapsed.TotalSeconds;

    /// <summary>CPU time of the bench process (producers, consumer, proxy) per published message.</summary>
    public double ProcessCpuMicros => _processCpu.TotalMicroseconds / _published;

    /// <summary>CPU time of nats-server or redis-server per published message.</summary>
    public double EngineCpuMicros => _engineCpu.TotalMicroseconds / _published;

    public void Add(long published, long consumed, TimeSpan elapsed, TimeSpan processCpu, TimeSpan engineCpu)
    {
        _published += published;
        _consumed += consumed;
        _elapsed += elapsed;
        _processCpu += processCpu;
        _engineCpu += engineCpu;
    }
}
