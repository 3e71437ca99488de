using System.Diagnostics;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Prism.Testing.Servers;

namespace Prism.Soak;

/// <summary>The engines behind the proxies: a 3-node NATS cluster (JetStream, replicas 3) and a Redis Cluster of 3 masters with a replica each.</summary>
internal sealed class SoakEngines : IAsyncDisposable
{
    private readonly NatsCluster _nats = new();
    private readonly RedisCluster _redis = new(masters: 3, replicas: true);

    public string RedisUrl => _redis.Url;

    public string NatsUrl => _nats.Url;

    /// <summary>JetStream replicas of the streams the nats backend creates.</summary>
    public static int NatsReplicas => 3;

    public string Description => $"Redis Cluster {RedisUrl} (3 masters, 3 replicas); NATS cluster {NatsUrl} (JetStream replicas {NatsReplicas})";

    public static async Task<SoakEngines> StartAsync()
    {
        var engines = new SoakEngines();
        await engines._nats.StartAsync();
        await engines._redis.StartAsync();
        return engines;
    }

    /// <summary>
    /// kill -9 of the node leading the queues' stream; waits until the stream has another leader,
    /// then starts the node again (it catches up as a replica).
    /// </summary>
    public async Task<string> KillNatsNodeAsync()
    {
        var leader = await QueueStreamLeaderAsync(null);
        var node = _nats.Node(leader);
        var clock = Stopwatch.StartNew();
        await node.StopAsync();
        var next = await QueueStreamLeaderAsync(leader);
        var elected = clock.Elapsed;
        await node.StartAsync();
        return $"stream leader {leader} killed; {next} leads after {elected.TotalSeconds:0.0} s; {leader} restarted";
    }

    /// <summary>kill -9 of the first master; waits until its replica reports itself master and the cluster is whole again.</summary>
    public async Task<string> KillRedisMasterAsync()
    {
        var victim = _redis.Masters[0];
        var heir = _redis.Nodes[_redis.Masters.Count];
        var clock = Stopwatch.StartNew();
        await victim.StopAsync();
        await RedisCluster.WaitAsync(async () => (await heir.SendAsync("INFO", "replication")).Contains("role:master", StringComparison.Ordinal),
            "the replica taking over", TimeSpan.FromSeconds(60));
        var promoted = clock.Elapsed;
        await RedisCluster.WaitAsync(async () => (await heir.SendAsync("CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal),
            "cluster_state:ok", TimeSpan.FromSeconds(60));
        return $"master {victim.Endpoint} killed; replica {heir.Endpoint} master after {promoted.TotalSeconds:0.0} s, cluster ok after {clock.Elapsed.TotalSeconds:0.0} s";
    }

    /// <summary>
    /// The queues' stream and every group's JetStream consumer as the cluster sees them (pending, unacknowledged,
    /// waiting pulls, delivered and acknowledged floors, leaders): what tells a stalled group from lost messages.
    /// </summary>
    public async Task<IReadOnlyList<string>> DescribeQueuesAsync()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = _nats.Url, Name = "soak-observer" });
        var jetStream = new NatsJSContext(nats);
        var stream = await jetStream.GetStreamAsync("prism-queues");
        var lines = new List<string>
        {
            $"stream prism-queues: {stream.Info.State.Messages} messages, seq {stream.Info.State.FirstSeq}-{stream.Info.State.LastSeq}, leader {stream.Info.Cluster?.Leader}",
        };
        await foreach (var consumer in stream.ListConsumersAsync())
        {
            var info = consumer.Info;
            lines.Add($"consumer {info.Name}: pending {info.NumPending}, ack pending {info.NumAckPending}, redelivered {info.NumRedelivered}, "
                + $"waiting pulls {info.NumWaiting}, delivered seq {info.Delivered.StreamSeq}, ack floor seq {info.AckFloor.StreamSeq}, "
                + $"leader {info.Cluster?.Leader}, max deliver {info.Config.MaxDeliver}");
        }

        return lines;
    }

    /// <summary>The server leading <c>prism-queues</c>, once it is not <paramref name="not"/>.</summary>
    private async Task<string> QueueStreamLeaderAsync(string? not)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var nats = new NatsConnection(new NatsOpts { Url = _nats.Url, Name = "soak-observer" });
                var stream = await new NatsJSContext(nats).GetStreamAsync("prism-queues");
                if (stream.Info.Cluster?.Leader is { Length: > 0 } leader && leader != not)
                {
                    return leader;
                }
            }
            catch (Exception e) when (e is NatsException or NatsJSApiException or TimeoutException && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                // no leader yet
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _nats.DisposeAsync();
    }
}
