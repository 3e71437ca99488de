using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
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
// Seconds each target publishes before the measured rounds, so that the JIT has optimised its hot paths.
var warmup = int.Parse(Value(args, "--warmup") ?? "5", CultureInfo.InvariantCulture);
// --consumers 0 measures publishing alone.
var consumers = int.Parse(Value(args, "--consumers") ?? "1", CultureInfo.InvariantCulture);
// --engines nats or redis measures one engine; memstore measures the proxy hop alone (against its driver in process).
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
    // Publishing alone, with no group to settle anything, memstore keeps every message: room for a whole run.
    ["backends:memstore:queue_memory_mb"] = "16384",
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
    Console.WriteLine("| engine | target | published/s | consumed/s | e2e p50 ms | e2e p99 ms | published vs direct | CPU µs/message: bench process | engine server | bench process allocated bytes/message | bench process context switches/message | JIT ms while measured |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var engine in engines)
    {
        int? enginePid = engine switch { "nats" => nats.ProcessId, "redis" => redis.ProcessId, _ => null };
        await CreateNamespaceAsync(store, "bench-" + engine, engine);
        var driver = proxy.Services.GetRequiredService<BackendDrivers>().Queue(engine)
            ?? throw new ArgumentException($"--engines: no queue driver named {engine} (nats, redis, memstore)");
        var inProcess = new InProcessDriverQueue(driver, "bench-" + engine, "jobs-driver");
        var inProcessName = "Prism's " + engine + " driver, no proxy";
        // memstore has no server to use directly: its driver in process is the baseline, which leaves the proxy hop's own cost.
        (string Name, IQueueTarget Target) direct = engine switch
        {
            "nats" => ("direct JetStream", await DirectJetStream.CreateAsync(nats.Url, "BENCHDIRECT")),
            "redis" => ("direct Redis Streams", new DirectRedisStreams(multiplexer.GetDatabase(), "bench:direct")),
            _ => (inProcessName, inProcess),
        };
        var targets = new List<(string Key, string Name, IQueueTarget Target)> { ("direct", direct.Name, direct.Target) };
        if (enginePid is not null)
        {
            targets.Add(("driver", inProcessName, inProcess));
        }

        targets.Add(("proxy", "proxy → " + engine, new ThroughProxyQueue(channel, token, "bench-" + engine, "jobs")));
        targets.Add(("client", "proxy → " + engine + " (Prism.Client)",
            new ThroughPrismClientQueue(ModuleHost.BoundAddress(proxy), token, "bench-" + engine, "jobs-client", publishCalls)));
        targets = [.. targets.Where(t => t.Key == "direct" || only is null || only.Contains(t.Key))];
        var results = targets.Select(_ => new QueueResult()).ToArray();
        using var stop = new CancellationTokenSource();
        var latencies = targets.Select(_ => new Samples()).ToArray();
        var consumed = new long[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            var index = i;
            // The memstore driver in process publishes several times faster than one member consumes: its backlog would drain
            // in the background of the other rows. It is the baseline of publishing, so it runs without a consumer.
            if (consumers == 0 || (enginePid is null && targets[i].Key == "direct"))
            {
                await PublishForAsync(targets[i].Target, producers, TimeSpan.FromSeconds(warmup));
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
            await PublishForAsync(targets[i].Target, producers, TimeSpan.FromSeconds(warmup));
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < targets.Count; i++)
            {
                lock (latencies[i])
                {
                    if (round == 0)
                    {
                        latencies[i] = new Samples();
                    }
                }

                var before = Interlocked.Read(ref consumed[i]);
                var start = Usage.Now(enginePid);
                var published = await PublishForAsync(targets[i].Target, producers, TimeSpan.FromSeconds(seconds));
                results[i].Add(published, Interlocked.Read(ref consumed[i]) - before, TimeSpan.FromSeconds(seconds), Usage.Now(enginePid) - start);
            }
        }

        for (var i = 0; i < targets.Count; i++)
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
                Prism.Bench.Summary.Line("queue", $"{targets[i].Name} published vs {targets[0].Name}, {producers} producers",
                    results[i].PublishedPerSecond / results[0].PublishedPerSecond, enginePid is null ? "(the hop alone)" : "≥ 0.50 at 16");
            }

            Console.WriteLine($"| {engine} | {targets[i].Name} | {results[i].PublishedPerSecond:N0} | {results[i].ConsumedPerSecond:N0} | {P(50):0.0} | {P(99):0.0} | "
                + $"{results[i].PublishedPerSecond / results[0].PublishedPerSecond:0.00} | {results[i].ProcessCpuMicros:0.0} | {results[i].EngineCpuMicros:0.0} | {results[i].AllocatedPerMessage:N0} | {results[i].SwitchesPerMessage:0.0} | {results[i].JitMillis:0} |");
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

/// <summary>What the bench process and the engine's server have used so far.</summary>
internal readonly record struct Usage(TimeSpan ProcessCpu, TimeSpan EngineCpu, TimeSpan Jit, long Allocated, long ContextSwitches)
{
    public static Usage Now(int? enginePid) => new(Process.GetCurrentProcess().TotalProcessorTime, CpuTime.Of(enginePid), JitInfo.GetCompilationTime(),
        GC.GetTotalAllocatedBytes(), ContextSwitchesOfThisProcess());

    public static Usage operator +(Usage a, Usage b) => new(a.ProcessCpu + b.ProcessCpu, a.EngineCpu + b.EngineCpu, a.Jit + b.Jit, a.Allocated + b.Allocated,
        a.ContextSwitches + b.ContextSwitches);

    public static Usage operator -(Usage a, Usage b) => new(a.ProcessCpu - b.ProcessCpu, a.EngineCpu - b.EngineCpu, a.Jit - b.Jit, a.Allocated - b.Allocated,
        a.ContextSwitches - b.ContextSwitches);

    /// <summary>Voluntary and involuntary context switches of every thread the process has had (getrusage), 0 where it is not Linux.</summary>
    private static long ContextSwitchesOfThisProcess()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        // struct rusage on 64-bit Linux: two timevals, then 14 longs of which ru_nvcsw and ru_nivcsw are the last two.
        Span<long> usage = stackalloc long[18];
        return GetRusage(0, ref usage[0]) == 0 ? usage[16] + usage[17] : 0;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, ref long usage);
}

internal sealed class QueueResult
{
    private long _published;
    private long _consumed;
    private TimeSpan _elapsed;
    private Usage _used;

    public double PublishedPerSecond => _published / _elapsed.TotalSeconds;

    public double ConsumedPerSecond => _consumed / _elapsed.TotalSeconds;

    /// <summary>CPU time of the bench process (producers, consumer, proxy) per published message.</summary>
    public double ProcessCpuMicros => _used.ProcessCpu.TotalMicroseconds / _published;

    /// <summary>CPU time of nats-server or redis-server per published message.</summary>
    public double EngineCpuMicros => _used.EngineCpu.TotalMicroseconds / _published;

    /// <summary>Bytes the bench process allocated per published message.</summary>
    public double AllocatedPerMessage => (double)_used.Allocated / _published;

    /// <summary>Time the JIT spent compiling while this target was measured: near 0 once warm.</summary>
    public double JitMillis => _used.Jit.TotalMilliseconds;

    /// <summary>Context switches of the bench process's threads per published message: each is a thread handing work to another.</summary>
    public double SwitchesPerMessage => (double)_used.ContextSwitches / _published;

    public void Add(long published, long consumed, TimeSpan elapsed, Usage used)
    {
        _published += published;
        _consumed += consumed;
        _elapsed += elapsed;
        _used += used;
    }
}
