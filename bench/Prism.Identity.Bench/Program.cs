using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.Bench;
using Prism.Hosting.Modules;
using Prism.Identity;
using Prism.Identity.Bench;

// client_credentials token requests (HTTP Basic client auth) from N concurrent clients against
// Prism's embedded identity provider (in process, SQLite store, one machine client in a Dex config)
// and node oidc-provider 9 (child process, JWT access tokens signed RS256, in-memory adapter),
// alternating rounds in one run. --breakdown measures the steps of one Prism token instead.
var breakdown = args.Contains("--breakdown");
var concurrency = Option("--concurrency", 16);
var seconds = Option("--seconds", 5);
var rounds = Option("--rounds", 3);
var warmup = Option("--warmup", 20); // seconds per target before the first round: the JIT tiers up OpenIddict's pipeline
var memory = args.Contains("--memory"); // storage.type memory instead of the default sqlite3 file
var prismOnly = args.Contains("--prism-only");
const string clientId = "bench-machine";
const string clientSecret = "bench-machine-secret-0123456789abcdef";

var home = Directory.CreateTempSubdirectory("prism-identity-bench-").FullName;
try
{
    var port = FreePort();
    var issuer = $"http://127.0.0.1:{port}/dex";
    var config = Path.Combine(home, "dex.yaml");
    await File.WriteAllTextAsync(config, $"""
        issuer: {issuer}
        storage:
        {(memory ? "  type: memory" : "  type: sqlite3\n  config:\n    file: identity.db")}
        web:
          http: 127.0.0.1:{port}
        staticClients:
          - id: {clientId}
            name: Bench Machine
            secret: {clientSecret}
        """);
    await using var prism = await ModuleHost.StartAsync(new IdentityModule(), [], new Dictionary<string, string?>
    {
        ["home"] = home, ["bind_address"] = "127.0.0.1", ["identity:port"] = $"{port}", ["identity:config"] = config,
        ["identity:clientGroups"] = $"{clientId}=prism:operator", ["identity:tokenRateLimit"] = "1000000000",
    }, logging => logging.SetMinimumLevel(LogLevel.Error));

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false, AllowAutoRedirect = false });
    var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{clientId}:{clientSecret}")));
    Func<Task> Token(string endpoint) => async () =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = basic;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"access_token\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{endpoint}: {(int)response.StatusCode} {body}");
        }
    };
    var prismToken = Token(issuer + "/token");
    await prismToken(); // a failure here stops the run with the reason

    if (breakdown)
    {
        await Breakdown.RunAsync(prism.Services, prismToken, seconds, warmup);
        return;
    }

    var prismName = $"Prism (OpenIddict, {(memory ? "in-memory SQLite" : "SQLite file")})";
    if (prismOnly)
    {
        await LoadRun.RunAsync(prismName, concurrency, TimeSpan.FromSeconds(warmup), TimeSpan.Zero, prismToken);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var alone = await LoadRun.RunAsync(prismName, concurrency, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(seconds), prismToken);
        jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jitted;
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"{prismName}: {alone.OpsPerSecond:0} tokens/s, p50 {alone.P50Micros / 1000:0.0} ms, p99 {alone.P99Micros / 1000:0.0} ms, {alone.Errors} errors; "
            + $"process CPU (server and load generator) {cpu.TotalMicroseconds / (alone.Operations * (seconds + 1.0) / seconds):0} µs per token; "
            + $"PBKDF2 verifications {prism.Services.GetRequiredService<Prism.Identity.Storage.VerifiedClientSecrets>().Verifications}, "
            + $"methods JIT-compiled per token {(double)jitted / alone.Operations:0.00}, WAL syncs {prism.Services.GetRequiredService<Prism.Identity.Storage.IdentityDurability>().Syncs}");
        return;
    }

    await using var node = await OidcProviderProcess.StartAsync(FreePort(), clientId, clientSecret);
    var nodeToken = Token(node.TokenEndpoint);
    await nodeToken();
    var targets = new (string Name, Func<Task> Operation)[] { (prismName, prismToken), ("node oidc-provider 9.13.3", nodeToken) };
    foreach (var (name, operation) in targets)
    {
        await LoadRun.RunAsync(name, concurrency, TimeSpan.FromSeconds(warmup), TimeSpan.Zero, operation);
    }

    var results = targets.ToDictionary(t => t.Name, _ => new List<LoadResult>());
    for (var round = 0; round < rounds; round++)
    {
        foreach (var (name, operation) in targets)
        {
            results[name].Add(await LoadRun.RunAsync(name, concurrency, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(seconds), operation));
        }
    }

    Console.WriteLine($"## client_credentials token endpoint, {concurrency} concurrent clients, {rounds} alternating rounds of {seconds} s after {warmup} s of warm-up each, {Environment.ProcessorCount} CPUs, loopback");
    Console.WriteLine();
    Console.WriteLine("| round | target | tokens/s | p50 ms | p99 ms | errors |");
    Console.WriteLine("|---:|---|---:|---:|---:|---:|");
    for (var round = 0; round < rounds; round++)
    {
        foreach (var (name, _) in targets)
        {
            var r = results[name][round];
            Console.WriteLine($"| {round + 1} | {name} | {r.OpsPerSecond:0} | {r.P50Micros / 1000:0.0} | {r.P99Micros / 1000:0.0} | {r.Errors} |");
        }
    }

    Console.WriteLine();
    var ratios = Enumerable.Range(0, rounds)
        .Select(i => results[targets[0].Name][i].OpsPerSecond / results[targets[1].Name][i].OpsPerSecond).ToList();
    var median = (string name) => results[name].OrderBy(r => r.OpsPerSecond).ElementAt(rounds / 2).OpsPerSecond;
    Summary.Line("identity", $"client_credentials tokens/s vs oidc-provider, {concurrency} clients", median(targets[0].Name) / median(targets[1].Name), "≥ 2.00");
    Console.WriteLine($"Prism/oidc-provider tokens/s per round: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; "
        + $"medians {median(targets[0].Name):0} / {median(targets[1].Name):0} = {median(targets[0].Name) / median(targets[1].Name):0.00} (target ≥ 2.00).");
}
finally
{
    Directory.Delete(home, recursive: true);
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
