using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Prism.Admin.V1;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Host.Tests;

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

/// <summary>
/// SIGKILL of a real admin process in the middle of a stream of CreateNamespace calls loses no
/// acknowledged namespace and leaves no namespace without its audit entry.
/// </summary>
[Collection(PostgresFixture.Collection)]
public class AdminCrashTests(PostgresFixture postgres)
{
    private const int Writers = 4;
    private const int AcknowledgedBeforeKill = 40;

    [Fact]
    public Task SigkillDuringCreates_OnSqlite_LosesNothingAcknowledged() => RunAsync(databaseUrl: null);

    [Fact]
    public async Task SigkillDuringCreates_OnPostgres_LosesNothingAcknowledged() => await RunAsync(await postgres.CreateDatabaseAsync());

    private static async Task RunAsync(string? databaseUrl)
    {
        using var prism = new PrismCli();
        var port = FreePort.Next();
        prism.Environment["PRISM_ADMIN_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        prism.Environment["PRISM_AUTH_DISABLED"] = "true";
        prism.Environment["PRISM_DATABASE_URL"] = databaseUrl;
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new AdminService.AdminServiceClient(channel);

        var acknowledged = new ConcurrentBag<string>();
        using (var admin = StartAdmin(prism))
        {
            await WaitServingAsync(channel);
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var name = $"crash-{w}-{i}";
                    try
                    {
                        await client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = name } }, deadline: DateTime.UtcNow.AddSeconds(10));
                        acknowledged.Add(name);
                    }
                    catch (RpcException)
                    {
                        return; // the server died under this call: its outcome is unknown, and that is allowed
                    }
                }
            })).ToList();

            await WaitUntilAsync(() => acknowledged.Count >= AcknowledgedBeforeKill);
            admin.Kill();
            await admin.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        }

        using var restarted = StartAdmin(prism);
        try
        {
            await WaitServingAsync(channel);
            var stored = await ListAllAsync(client);
            var audited = await AuditedCreatesAsync(client);

            Assert.Empty(acknowledged.Except(stored));
            Assert.Equal(stored.Order(StringComparer.Ordinal), audited.Order(StringComparer.Ordinal));
        }
        finally
        {
            restarted.Kill();
            await restarted.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static Process StartAdmin(PrismCli prism)
    {
        var start = CliRunner.StartInfo(typeof(ModuleCatalog).Assembly.Location, ["serve", "--modules", "admin"], prism.Environment);
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitServingAsync(GrpcChannel channel)
    {
        var health = new Health.HealthClient(channel);
        await WaitUntilAsync(async () =>
        {
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            }
            catch (RpcException)
            {
                return false;
            }
        });
    }

    private static async Task<List<string>> ListAllAsync(AdminService.AdminServiceClient client)
    {
        var names = new List<string>();
        var token = "";
        do
        {
            var page = await client.ListNamespacesAsync(new ListNamespacesRequest { PageSize = 1000, PageToken = token }, deadline: DateTime.UtcNow.AddSeconds(30));
            names.AddRange(page.Namespaces.Select(n => n.Name));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return names;
    }

    private static async Task<List<string>> AuditedCreatesAsync(AdminService.AdminServiceClient client)
    {
        var names = new List<string>();
        using var call = client.GetAuditLog(new GetAuditLogRequest { Operation = "CreateNamespace", Limit = 100_000 }, deadline: DateTime.UtcNow.AddSeconds(30));
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (call.ResponseStream.Current.Success)
            {
                names.Add(call.ResponseStream.Current.ResourceId);
            }
        }

        return names;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
