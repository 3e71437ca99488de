using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Duende.IdentityModel.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Prism.Admin;
using Prism.Admin.Bench;
using Prism.Admin.V1;
using Prism.Bench;
using Prism.Hosting.Modules;
using Prism.Identity;

// Authenticated ListNamespaces against a real admin module and the embedded identity provider,
// once with the validated-token cache (default) and once with it off (every call verifies the
// JWT signature). Same process, same run, loopback only.
var concurrency = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 16;
var duration = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
var home = Directory.CreateTempSubdirectory("prism-bench-").FullName;
try
{
    var identityPort = FreePort();
    var issuer = $"http://127.0.0.1:{identityPort}/dex";
    await using var identity = await Start(new IdentityModule(), new()
    {
        ["home"] = home, ["identity:port"] = $"{identityPort}", ["identity:issuer"] = issuer,
    });
    var token = await PasswordTokenAsync(issuer);

    // Both configurations run side by side and alternate rounds, so machine noise and warm-up
    // hit both alike; each row is the median round of its configuration.
    var targets = new List<(string Name, WebApplication App, AdminService.AdminServiceClient Client, GrpcChannel Channel)>();
    foreach (var (name, cacheTtl) in new[] { ("uncached validation", "0"), ("cached validation", "5m") })
    {
        var adminPort = FreePort();
        var admin = await Start(new AdminModule(), new()
        {
            ["home"] = Path.Combine(home, cacheTtl), ["admin:port"] = $"{adminPort}", ["security:oidc_issuer"] = issuer,
            ["security:token_cache_ttl"] = cacheTtl, ["admin:rate_limit_per_minute"] = "100000000",
        });
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{adminPort}");
        targets.Add((name, admin, new AdminService.AdminServiceClient(channel), channel));
    }

    var headers = new Metadata { { "authorization", "Bearer " + token } };
    foreach (var target in targets)
    {
        for (var i = 0; i < 20; i++)
        {
            await target.Client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = $"bench-{i}" } }, headers);
        }
    }

    // The ceiling: the same RPC answered from memory by a bare gRPC server, with the page the admin returns.
    var page = await targets[0].Client.ListNamespacesAsync(new ListNamespacesRequest { PageSize = 20 }, headers);
    var barePort = FreePort();
    var bare = await BareAdminServer.StartAsync(barePort, page);
    var bareChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{barePort}");
    targets.Add(("bare gRPC (from memory)", bare, new AdminService.AdminServiceClient(bareChannel), bareChannel));

    var rounds = targets.ToDictionary(t => t.Name, _ => new List<LoadResult>());
    for (var round = 0; round < 3; round++)
    {
        foreach (var target in targets)
        {
            rounds[target.Name].Add(await LoadRun.RunAsync(target.Name, concurrency, TimeSpan.FromSeconds(1), duration,
                async () => await target.Client.ListNamespacesAsync(new ListNamespacesRequest { PageSize = 20 }, headers)));
        }
    }

    var results = rounds.Values.Select(r => r.OrderBy(x => x.OpsPerSecond).ElementAt(r.Count / 2)).ToList();
    foreach (var target in targets)
    {
        target.Channel.Dispose();
        await target.App.DisposeAsync();
    }

    Console.WriteLine($"## Authenticated ListNamespaces (20 namespaces, page size 20), concurrency {concurrency}, median of 3 rounds of {duration.TotalSeconds:0} s, SQLite store");
    Console.WriteLine();
    var ceiling = results.Single(r => r.Name.StartsWith("bare", StringComparison.Ordinal));
    Console.WriteLine("| target | requests/s | vs bare gRPC | p50 µs | p99 µs | errors | CPU µs/request |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var r in results)
    {
        Console.WriteLine($"| {r.Name} | {r.OpsPerSecond:0} | {r.OpsPerSecond / ceiling.OpsPerSecond:0.00} | {r.P50Micros:0} | {r.P99Micros:0} | {r.Errors} | {r.CpuMicrosPerOp:0} |");
    }

    Console.WriteLine();
    var cached = results.Single(r => r.Name.StartsWith("cached", StringComparison.Ordinal));
    var uncached = results.Single(r => r.Name.StartsWith("uncached", StringComparison.Ordinal));
    Summary.Line("admin", $"authenticated ListNamespaces vs bare gRPC, {concurrency} callers", cached.OpsPerSecond / ceiling.OpsPerSecond, "≥ 0.20 at 16");
    Console.WriteLine($"cached/uncached throughput ratio: {cached.OpsPerSecond / uncached.OpsPerSecond:0.00}; "
        + $"target (issue 15): admin (cached) ≥ 0.2 of the bare server: {cached.OpsPerSecond / ceiling.OpsPerSecond:0.00}");
}
finally
{
    Directory.Delete(home, recursive: true);
}

static async Task<WebApplication> Start(PrismModule module, Dictionary<string, string?> settings)
{
    settings["bind_address"] = "127.0.0.1";
    return await ModuleHost.StartAsync(module, [], settings, logging => logging.SetMinimumLevel(LogLevel.Error));
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task<string> PasswordTokenAsync(string issuer)
{
    using var http = new HttpClient();
    var response = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
    {
        Address = issuer + "/token", ClientId = "prismctl", UserName = "dev@local.prism", Password = "devpass", Scope = "openid email profile groups",
    });
    return response.IsError ? throw new InvalidOperationException(response.Error) : response.AccessToken!;
}
