using System.Diagnostics;
using Prism.Interfaces.Queue;
using Prism.Proxy.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Proxy.Tests;

/// <summary>
/// Issue 12, done when: a consumer process killed with SIGKILL while it holds unacked messages loses
/// none of them: every one is delivered to another member of its group after the visibility timeout.
/// The consumer process is the Node.js client (a client generated from the protos), the proxy is real.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class QueueConsumerCrashTests(RedisFixture redis, NatsFixture nats, PostgresFixture postgres) : IAsyncLifetime
{
    private const int Published = 20;
    private const int HeldByTheVictim = 8;
    private const int VisibilityMs = 2000;
    private ProxyServer _server = null!;

    public async Task InitializeAsync() => _server = await ProxyServer.StartAsync(new Dictionary<string, string?>
    {
        // The first publish opens the backend connection, with this as its connect timeout: the test servers'
        // 500 ms was once too short for Redis while the whole suite loaded the machine (UNAVAILABLE: unreachable).
        ["backends:health_timeout"] = "2s",
        ["backends:instances:redis-q:type"] = "redis",
        ["backends:instances:redis-q:url"] = redis.Server.Configuration,
        ["backends:instances:nats-q:type"] = "nats",
        ["backends:instances:nats-q:url"] = nats.Server.Url,
        ["backends:instances:pg-q:type"] = "postgres",
        ["backends:instances:pg-q:url"] = await postgres.CreateDatabaseAsync(),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("memstore")]
    [InlineData("redis-q")]
    [InlineData("nats-q")]
    [InlineData("pg-q")]
    public async Task ConsumerProcessKilledHoldingMessages_EveryMessageGoesToAnotherMember_AfterTheVisibilityTimeout(string backend)
    {
        var ns = await _server.CreateNamespaceAsync(new Dictionary<string, string> { ["queue"] = backend }, patterns: ["queue"]);
        var token = _server.TokenFor("worker@example.com");
        var options = ProxyServer.Call(token, ns);
        var published = new HashSet<string>();
        for (var i = 0; i < Published; i++)
        {
            published.Add((await _server.Queue.PublishAsync(QueueMember.Message("work", $"w{i}"), options)).MessageId);
        }

        var held = new HashSet<string>();
        var victimKilled = Stopwatch.StartNew();
        await using (var victim = await NodeClient.StartQueueAsync("hold", $"127.0.0.1:{_server.App.BaseAddress.Port}", ns, token, "work", "workers",
            $"{HeldByTheVictim}", $"{VisibilityMs}"))
        {
            Assert.True((await victim.NextAsync()).TryGetProperty("joined", out _));
            while (held.Count < HeldByTheVictim)
            {
                held.Add((await victim.NextAsync()).GetProperty("held").GetString()!);
            }

            await victim.KillAsync();
            victimKilled.Restart();
        }

        // Same options as the victim's: on NATS the last member to join sets the group's.
        await using var survivor = await QueueMember.JoinAsync(_server.Queue, options,
            new Join { Queue = "work", Group = "workers", MaxInFlight = HeldByTheVictim, VisibilityTimeoutMs = VisibilityMs });
        var delivered = new Dictionary<string, int>();
        TimeSpan? firstRedelivery = null;
        while (!published.IsSubsetOf(delivered.Keys))
        {
            var message = await survivor.NextAsync();
            if (held.Contains(message.MessageId))
            {
                firstRedelivery ??= victimKilled.Elapsed;
            }

            delivered[message.MessageId] = message.Attempt;
            Assert.True(await survivor.AckAsync(message.MessageId));
        }

        Assert.Equal(HeldByTheVictim, held.Count);
        Assert.Subset(published, held);
        Assert.Equal(published, delivered.Keys.ToHashSet());
        Assert.All(held, id => Assert.Equal(2, delivered[id]));
        Assert.All(published.Except(held), id => Assert.Equal(1, delivered[id]));
        // The victim took them before it was killed, so the timeout is over less than VisibilityMs after the kill.
        Assert.InRange(firstRedelivery!.Value, TimeSpan.FromMilliseconds(VisibilityMs / 2), Timeouts.Await);
    }
}
