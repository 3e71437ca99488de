using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Prism.Backends.Queue;
using Prism.Backends.Tests.Queue;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;
using Xunit.Abstractions;

namespace Prism.Backends.Tests.Clustered;

/// <summary>
/// A node of a 3-node cluster with 3-replica streams dies (kill -9) while producers enqueue, either the stream's
/// leader or the node the backend's connection is on (it reconnects to another): every enqueue the backend
/// acknowledged is consumed afterwards, and the node, started again, rejoins. The cluster is each test's own, so the kill touches no other test.
/// </summary>
public sealed class NatsClusterFailoverTests(ITestOutputHelper output)
{
    private const int Producers = 8;
    private readonly string _ns = "ns-" + Guid.NewGuid().ToString("N")[..12];

    public const string StreamLeader = "the stream leader";
    public const string ConnectedNode = "the node the backend is connected to";

    [Theory]
    [InlineData(StreamLeader, 2000)]
    [InlineData(ConnectedNode, 1000)]
    public async Task KillingANode_WhileEnqueueing_LosesNoAcknowledgedMessage(string victim, int messages)
    {
        await using var cluster = new NatsCluster();
        await cluster.StartAsync();
        await using var drivers = new TestBackends(NatsClusterCollection.Settings(cluster));
        var queue = drivers.Registry.Queue("nats")!;
        await queue.EnqueueAsync(_ns, "warm-up", "x"u8.ToArray(), null, null, null, default).WaitAsync(Timeouts.Await);
        var (leader, replicas) = await StreamAsync(cluster);
        Assert.Equal(3, replicas);
        var killed = victim == StreamLeader ? leader
            : (await cluster.NodeWithClientAsync("prism"))?.ServerName ?? throw new InvalidOperationException("no node has the backend's connection");

        var acked = new ConcurrentDictionary<string, string>();
        var ackedAfterKill = 0;
        var failures = 0;
        var afterKill = false;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = -1;

        async Task ProduceAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < messages)
            {
                var payload = "m-" + i.ToString(CultureInfo.InvariantCulture);
                // Like a producer that retries: a refused enqueue is sent again until acknowledged (the producers end within two minutes).
                while (true)
                {
                    try
                    {
                        var id = await queue.EnqueueAsync(_ns, "orders", Encoding.UTF8.GetBytes(payload), null, null, null, default).WaitAsync(Timeouts.Await);
                        acked[payload] = id;
                        if (Volatile.Read(ref afterKill))
                        {
                            Interlocked.Increment(ref ackedAfterKill);
                        }

                        if (acked.Count >= messages / 2)
                        {
                            halfway.TrySetResult();
                        }

                        break;
                    }
                    catch (BackendUnavailableException)
                    {
                        // Not acknowledged to the caller: the message may or may not be stored.
                        Interlocked.Increment(ref failures);
                        await Task.Delay(20);
                    }
                }
            }
        }

        var producers = Enumerable.Range(0, Producers).Select(_ => Task.Run(ProduceAsync)).ToArray();
        await halfway.Task.WaitAsync(Timeouts.Await);
        await cluster.Node(killed).StopAsync();
        Volatile.Write(ref afterKill, true);
        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromMinutes(2));

        var consumed = await ConsumeAllAsync(queue, acked.Keys);
        output.WriteLine($"killed {killed} ({victim}; stream leader {leader}); {acked.Count} acknowledged ({ackedAfterKill} after the kill), {failures} refused, {consumed.Count} consumed");

        await cluster.Node(killed).StartAsync();
        await cluster.WaitForMetaLeaderAsync();
        await Timeouts.EventuallySucceedsAsync(() => queue.EnqueueAsync(_ns, "after-restart", "x"u8.ToArray(), null, null, null, default), "enqueueing after the node came back");

        Assert.True(ackedAfterKill > 0, $"no enqueue was acknowledged after the kill ({failures} failed)");
        Assert.Empty(acked.Keys.Except(consumed));
        Assert.Equal(messages, acked.Count);
    }

    /// <summary>Reads group "g" until every payload of <paramref name="expected"/> has come, and returns every payload seen.</summary>
    private async Task<HashSet<string>> ConsumeAllAsync(IQueue queue, IEnumerable<string> expected)
    {
        var missing = expected.ToHashSet();
        var seen = new HashSet<string>();
        var options = new ConsumeOptions { VisibilityTimeout = TimeSpan.FromMinutes(5), MaxRetries = 2, MaxInFlight = 256 };
        IQueueConsumer? consumer = null;
        await Timeouts.EventuallySucceedsAsync(async () => consumer = await queue.ConsumeAsync(_ns, "orders", "g", "reader", options, default), "joining group g");
        await using var member = new Member(consumer!);
        while (missing.Count > 0)
        {
            var message = await member.NextAsync();
            var payload = Encoding.UTF8.GetString(message.Payload.Span);
            seen.Add(payload);
            missing.Remove(payload);
            await member.AckAsync(message);
        }

        return seen;
    }

    /// <summary>The server name of the leader of the queues' stream, and the stream's replicas.</summary>
    private static async Task<(string Leader, int Replicas)> StreamAsync(NatsCluster cluster)
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = cluster.Url });
        var stream = await new NatsJSContext(nats).GetStreamAsync("prism-queues").AsTask().WaitAsync(Timeouts.Await);
        return (stream.Info.Cluster?.Leader ?? throw new InvalidOperationException("the queues' stream reports no leader"), stream.Info.Config.NumReplicas);
    }
}
