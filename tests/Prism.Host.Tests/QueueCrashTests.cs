using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.ControlStore;
using Prism.Interfaces.Queue;
using Prism.Testing.Servers;
using Xunit.Abstractions;

namespace Prism.Host.Tests;

/// <summary>
/// Issue 12, done when: SIGKILL of a real proxy process in the middle of 10,000 publishes loses no
/// publish that was acknowledged to its client. Each acknowledged message id is then delivered by a
/// new proxy to a fresh group (every group starts with what the queue retains). Durable backends:
/// NATS JetStream (file storage), Redis Streams (AOF, fsync always), PostgreSQL.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class QueueCrashTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Publishers = 16;
    private const int PerPublisher = 10_000 / Publishers;
    private const int KillAfterAcknowledged = 3_000;
    private const string Namespace = "orders";
    private const string Queue = "placed";

    [Fact]
    public async Task SigkillOfTheProxyDuringPublishes_OnJetStream_EveryAcknowledgedPublishIsDelivered()
    {
        await using var nats = await NatsServer.StartNewAsync();
        await RunAsync("nats", nats.Url);
    }

    [Fact]
    public async Task SigkillOfTheProxyDuringPublishes_OnRedisStreamsWithAofFsync_EveryAcknowledgedPublishIsDelivered()
    {
        await using var redis = await RedisServer.StartNewAsync(appendFsyncAlways: true);
        await RunAsync("redis", redis.Configuration);
    }

    [Fact]
    public async Task SigkillOfTheProxyDuringPublishes_OnPostgres_EveryAcknowledgedPublishIsDelivered() =>
        await RunAsync("postgres", postgres.Server.Url(await postgres.Server.CreateDatabaseAsync()));

    private async Task RunAsync(string type, string url)
    {
        var clock = Stopwatch.StartNew();
        using var prism = new PrismCli();
        var storeUrl = postgres.Server.Url(await postgres.Server.CreateDatabaseAsync());
        prism.Environment["PRISM_AUTH_DISABLED"] = "true";
        prism.Environment["PRISM_DATABASE_URL"] = storeUrl;
        var config = Path.Combine(prism.Home, "prism.yaml");
        prism.Environment["PRISM_CONFIG"] = config;
        await File.WriteAllTextAsync(config, $"""
            backends:
              instances:
                queues:
                  type: {type}
                  url: "{url}"
            """);
        await CreateNamespaceAsync(storeUrl);

        var acknowledged = new ConcurrentBag<string>();
        var phases = new List<string>();
        void Phase(string name) => phases.Add($"{name} {clock.Elapsed.TotalSeconds:F1} s");
        await using (var first = ProxyProcess.Start(prism, "proxy-a"))
        {
            await first.WaitServingAsync();
            Phase("serving");
            var client = new QueueBasicInterface.QueueBasicInterfaceClient(first.Channel);
            var publishers = Enumerable.Range(0, Publishers).Select(p => Task.Run(async () =>
            {
                for (var i = 0; i < PerPublisher; i++)
                {
                    try
                    {
                        var published = await client.PublishAsync(new QueuePublishRequest { Queue = Queue, Payload = ByteString.CopyFromUtf8($"{p}-{i}") }, Call());
                        acknowledged.Add(published.MessageId);
                    }
                    catch (RpcException)
                    {
                        return; // the proxy died under this publish: its outcome is unknown, and that is allowed
                    }
                }
            })).ToList();

            await WaitUntilAsync(() => acknowledged.Count >= KillAfterAcknowledged || publishers.All(t => t.IsCompleted), TimeSpan.FromSeconds(60));
            await first.KillAsync();
            Phase("killed");
            await Task.WhenAll(publishers).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var ids = acknowledged.ToHashSet(StringComparer.Ordinal);
        Assert.Equal(acknowledged.Count, ids.Count);
        Assert.InRange(ids.Count, KillAfterAcknowledged, Publishers * PerPublisher - 1);

        await using var second = ProxyProcess.Start(prism, "proxy-b");
        await second.WaitServingAsync();
        Phase("restarted");
        var delivered = await DeliverAllAsync(new QueueBasicInterface.QueueBasicInterfaceClient(second.Channel), ids);
        Phase("delivered");

        var lost = ids.Except(delivered).ToList();
        output.WriteLine($"{type}: {ids.Count} publishes acknowledged before SIGKILL, {delivered.Count} messages delivered after restart " +
            $"({delivered.Count - ids.Count} stored but not acknowledged), {lost.Count} lost; {string.Join(", ", phases)}");
        Assert.Empty(lost);
    }

    /// <summary>Joins a fresh group that may hold every message unsettled, and reads until every id in <paramref name="expected"/> came (or 30 s).</summary>
    private static async Task<HashSet<string>> DeliverAllAsync(QueueBasicInterface.QueueBasicInterfaceClient client, HashSet<string> expected)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = client.Consume(new Metadata { { "x-prism-namespace", Namespace } }, cancellationToken: stop.Token);
        await call.RequestStream.WriteAsync(new ConsumeRequest
        {
            Join = new Join { Queue = Queue, Group = "after-the-crash", MaxInFlight = 10_000, VisibilityTimeoutMs = (long)TimeSpan.FromMinutes(10).TotalMilliseconds },
        });
        var delivered = new HashSet<string>(StringComparer.Ordinal);
        var missing = expected.Count;
        try
        {
            while (missing > 0 && await call.ResponseStream.MoveNext(stop.Token))
            {
                if (call.ResponseStream.Current.Message is { } message && delivered.Add(message.MessageId) && expected.Contains(message.MessageId))
                {
                    missing--;
                }
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // 30 s passed: what came is what the assertion sees.
        }

        return delivered;
    }

    private static CallOptions Call() => new(new Metadata { { "x-prism-namespace", Namespace } }, DateTime.UtcNow.AddSeconds(10));

    private static async Task CreateNamespaceAsync(string storeUrl)
    {
        await using var database = ControlDatabase.Postgres(storeUrl);
        var store = new ControlStore.ControlStore(database, NullLogger<ControlStore.ControlStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var slots = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["queue"] = new Dictionary<string, string> { ["message_source"] = "queues" },
        };
        await store.CreateNamespaceAsync(new NamespaceRecord(Namespace, "", ["queue"], slots, [], new NamespaceQuotas(0, 0),
                new Dictionary<string, string>(), 1, "tests", DateTimeOffset.UtcNow, "tests", DateTimeOffset.UtcNow),
            new AuditRecord(Guid.NewGuid(), DateTimeOffset.UtcNow, "tests", [], "CreateNamespace", "namespace", Namespace, Namespace, null, true, null, "OK",
                new Dictionary<string, string>()), CancellationToken.None);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
