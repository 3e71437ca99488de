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

    var results = new List<LoadResult>();
    foreach (var (name, cacheTtl) in new[] { ("cached validation", "5m"), ("uncached validation", "0") })
    {
        var adminPort = FreePort();
        await using var admin = await Start(new AdminModule(), new()
        {
            ["home"] = Path.Combine(home, cacheTtl), ["admin:port"] = $"{adminPort}", ["security:oidc_issuer"] = issuer,
            ["security:token_cache_ttl"] = cacheTtl, ["admin:rate_limit_per_minute"] = "100000000",
        });
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{adminPort}");
        var client = new AdminService.AdminServiceClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + token } };
        for (var i = 0; i < 20; i++)
        {
            await client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = $"bench-{i}" } }, headers);
        }

        results.Add(await LoadRun.RunAsync(name, concurrency, TimeSpan.FromSeconds(2), duration,
            async () => await client.ListNamespacesAsync(new ListNamespacesRequest { PageSize = 20 }, headers)));
    }

    Console.WriteLine($"## Authenticated ListNamespaces (20 namespaces, page size 20), concurrency {concurrency}, {duration.TotalSeconds:0} s each, SQLite store");
    Console.WriteLine();
    Console.WriteLine("| validation | requests/s | p50 µs | p99 µs | errors |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var r in results)
    {
        Console.WriteLine($"| {r.Name} | {r.OpsPerSecond:0} | {r.P50Micros:0} | {r.P99Micros:0} | {r.Errors} |");
    }

    Console.WriteLine();
    Console.WriteLine($"cached/uncached throughput ratio: {results[0].OpsPerSecond / results[1].OpsPerSecond:0.00}");
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
