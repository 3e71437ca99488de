using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Admin.V1;
using Prism.Client;
using Prism.Client.Auth;
using Prism.Soak;

// The soak: the production topology on loopback under KeyValue, queue, pub/sub and admin load while
// the schedule kills and restarts its parts. Prints a markdown report (also written to --report).
var phaseSeconds = int.Parse(Value("--phase-seconds") ?? "20", CultureInfo.InvariantCulture);
var reportFile = Value("--report") ?? Path.Combine("artifacts", "soak-report.md");
if (Value("--prism") is { } prism)
{
    PrismProcess.Assembly = Path.GetFullPath(prism);
}

void Say(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

await using var topology = await Topology.StartAsync(Say);
using var tokenHttp = new HttpClient(topology.Certificates.Handler());
var tokens = OidcTokenSource.ClientCredentials(tokenHttp, topology.Issuer, Topology.ClientId, topology.ClientSecret);
using var admin = GrpcChannel.ForAddress(topology.AdminEndpoint, new GrpcChannelOptions { HttpHandler = topology.Certificates.Handler() });
await CreateNamespaceAsync(admin, tokens, "soak");

using var connection = new PrismConnection(new PrismClientOptions
{
    Endpoint = topology.ProxyEndpoint,
    Namespace = "soak",
    TokenSource = tokens,
    CaFile = topology.Certificates.CaFile,
    CallTimeout = TimeSpan.FromSeconds(10),
});
var ledger = new Ledger();
var clock = new PhaseClock(new PhaseStats("warm-up", "none (first tokens, connections, streams)"));
using var load = new CancellationTokenSource();
using var consumersStop = new CancellationTokenSource();
var workload = new Workload(connection, admin, tokens, "soak", clock, ledger);
var (writing, reading) = workload.Start(writers: 4, producers: 4, consumers: 3, load.Token, consumersStop.Token);
Say($"load running; phases of {phaseSeconds} s");

var phase = TimeSpan.FromSeconds(phaseSeconds);
await Task.Delay(TimeSpan.FromSeconds(5));
clock.Enter(new PhaseStats("steady", "none"));
await Task.Delay(phase);
await FaultAsync("proxy kill -9", "kill -9 proxy-1, restart it", async stats =>
{
    var proxy = topology.Proxies[0];
    await proxy.KillAsync();
    proxy.Start();
    stats.ComponentRecovery = $"proxy-1 ready {await proxy.WaitReadyAsync(TimeSpan.FromSeconds(60)):s\\.f} s after restart";
});
await FaultAsync("admin restart", "SIGTERM admin-1, start it", async stats =>
{
    var restarted = topology.Admins[0];
    await restarted.StopAsync();
    restarted.Start();
    stats.ComponentRecovery = $"admin-1 ready {await restarted.WaitReadyAsync(TimeSpan.FromSeconds(60)):s\\.f} s after start";
});
await FaultAsync("NATS node kill -9", "kill -9 one of 3 NATS nodes (the queue stream's leader)", async stats =>
    stats.ComponentRecovery = await topology.Engines.KillNatsNodeAsync());
await FaultAsync("Redis master kill -9", "kill -9 one of 3 Redis masters; its replica takes over", async stats =>
    stats.ComponentRecovery = await topology.Engines.KillRedisMasterAsync());
clock.Enter(new PhaseStats("recovered", "none"));
await Task.Delay(phase);

Say("stopping the load; draining the queue");
clock.Stopping = true;
await load.CancelAsync();
await Task.WhenAll(writing.Select(IgnoreCancellation));
var drain = Stopwatch.StartNew();
while (ledger.QueueLost.Any() && drain.Elapsed < TimeSpan.FromSeconds(60))
{
    await Task.Delay(250);
}

if (ledger.QueueLost.Any())
{
    Say($"{ledger.QueueLost.Count()} acknowledged publishes not delivered after the drain; JetStream's view:");
    foreach (var line in await topology.Engines.DescribeQueuesAsync())
    {
        Say("  " + line);
    }

    Say("the consumers:");
    foreach (var line in workload.DescribeMembers())
    {
        Say("  " + line);
    }
}

await consumersStop.CancelAsync();
await Task.WhenAll(reading.Select(IgnoreCancellation));
var kvLost = await VerifyKeysAsync(new PrismKeyValueClient(connection, "soak"), ledger);
foreach (var (phaseName, status, message) in clock.All.SelectMany(p => p.FirstErrors.Select(e => (p.Name, e.Key, e.Value))))
{
    Say($"first {status} in '{phaseName}': {message}");
}

var report = Report(clock.All, ledger, kvLost, phaseSeconds);
Console.WriteLine(report);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportFile))!);
await File.WriteAllTextAsync(reportFile, report);
var logs = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reportFile))!, "soak-logs");
topology.CopyLogs(logs);
Say($"report written to {reportFile}, process logs to {logs}");
return kvLost == 0 && !ledger.QueueLost.Any() ? 0 : 1;

async Task FaultAsync(string name, string fault, Func<PhaseStats, Task> inject)
{
    var stats = new PhaseStats(name, fault) { FaultTicks = Stopwatch.GetTimestamp() };
    clock.Enter(stats);
    Say($"phase '{name}': {fault}");
    var started = Stopwatch.StartNew();
    await inject(stats);
    Say($"  {stats.ComponentRecovery}");
    var rest = phase - started.Elapsed;
    if (rest > TimeSpan.Zero)
    {
        await Task.Delay(rest);
    }
}

static async Task IgnoreCancellation(Task task)
{
    try
    {
        await task;
    }
    catch (OperationCanceledException)
    {
    }
}

static async Task CreateNamespaceAsync(GrpcChannel admin, ITokenSource tokens, string name)
{
    var client = new AdminService.AdminServiceClient(admin);
    var headers = new Metadata { { "authorization", "Bearer " + await tokens.GetTokenAsync(CancellationToken.None) } };
    var ns = new Namespace { Name = name, Description = "soak load" };
    ns.Patterns.Add(["keyvalue", "pubsub", "queue"]);
    ns.Backends.Add(new Dictionary<string, string> { ["keyvalue"] = "redis", ["pubsub"] = "nats", ["queue"] = "nats" });
    await client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = ns }, headers, DateTime.UtcNow.AddSeconds(30));
}

static async Task<int> VerifyKeysAsync(PrismKeyValueClient kv, Ledger ledger)
{
    var lost = 0;
    foreach (var (key, history) in ledger.Keys)
    {
        if (history.LastAcknowledged is null)
        {
            continue;
        }

        var stored = await kv.GetAsync(key);
        if (!history.Accepts(stored is null ? null : Encoding.UTF8.GetString(stored)))
        {
            lost++;
        }
    }

    return lost;
}

static string Report(IReadOnlyList<PhaseStats> phases, Ledger ledger, int kvLost, int phaseSeconds)
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"Soak {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, phases of {phaseSeconds} s; 2 admins + 3 proxies (PRISM_ENV=production, TLS, PostgreSQL control store) behind HAProxy; KeyValue on a Redis Cluster (3 masters + 3 replicas), queue and pub/sub on a 3-node NATS cluster (JetStream, replicas 3); through Prism.Client (retries UNAVAILABLE).");
    text.AppendLine();
    text.AppendLine("| phase | fault | requests | errors by status | p50 ms | p99 ms | calls failing for | streams reopened | component back |");
    text.AppendLine("|---|---|---:|---|---:|---:|---:|---:|---|");
    foreach (var phase in phases)
    {
        var errors = phase.Errors.IsEmpty ? "0" : string.Join(", ", phase.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}"));
        var failing = phase.CallsRecoveredAfter is { } span ? $"{span.TotalSeconds:0.0} s" : "–";
        text.AppendLine(CultureInfo.InvariantCulture, $"| {phase.Name} | {phase.Fault} | {phase.Requests:N0} | {errors} | {phase.Percentile(50):0.0} | {phase.Percentile(99):0.0} | {failing} | {phase.StreamsReopened} | {phase.ComponentRecovery} |");
    }

    var acked = ledger.QueueAcknowledged.Count;
    var keys = ledger.Keys.Count(k => k.Value.LastAcknowledged is not null);
    text.AppendLine();
    text.AppendLine(CultureInfo.InvariantCulture, $"Acknowledged writes lost: **{ledger.QueueLost.Count() + kvLost}** — queue: {acked:N0} publishes acknowledged, {ledger.QueueLost.Count():N0} never delivered ({Interlocked.Read(ref ledger.QueueDeliveries):N0} deliveries, redeliveries included); KeyValue: {keys:N0} keys with an acknowledged write, {kvLost} not holding it (or a later write) at the end.");
    text.AppendLine(CultureInfo.InvariantCulture, $"Pub/sub (at most once, not counted as writes): {Interlocked.Read(ref ledger.PubSubPublished):N0} published, {Interlocked.Read(ref ledger.PubSubDelivered):N0} delivered to a subscriber that re-subscribes when its stream breaks.");
    return text.ToString();
}

string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
