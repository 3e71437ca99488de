using Prism.Backends.Drivers.Memstore;
using Prism.Backends.Drivers.Nats;
using Prism.Backends.Drivers.Redis;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Prism.Backends.Drivers.Postgres;
using Prism.Testing.Servers;
using Prism.Backends.Queue;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests.Queue;

public sealed class MemstoreQueueTests : QueueContract
{
    private TestBackends? _drivers;

    protected override IQueue Queue => _drivers!.Registry.Queue("memstore")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings());
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();

    [Fact]
    public async Task IdempotencyKey_IsRememberedForTheDedupWindow_ThenForgotten_AndAKeyStoredAgainGetsAWindowOfItsOwn()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var drivers = new TestBackends(TestBackends.Settings(), clock);
        var queue = drivers.Registry.Queue("memstore")!;
        var window = BackendDriverOptions.Default.QueueDedupWindow;
        Task<string> EnqueueAsync(string key) => queue.EnqueueAsync(Ns, "dedup", "x"u8.ToArray(), null, null, key, default);

        var first = await EnqueueAsync("k");
        var other = await EnqueueAsync("other");
        clock.Advance(window - TimeSpan.FromMilliseconds(1));
        Assert.Equal(first, await EnqueueAsync("k"));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = await EnqueueAsync("k");
        Assert.NotEqual(first, second);
        Assert.NotEqual(other, await EnqueueAsync("other"));

        clock.Advance(window / 2);
        Assert.Equal(second, await EnqueueAsync("k"));
    }

    [Fact]
    public async Task Enqueue_PastTheInstancesQueueMemory_IsRefused_NamingTheLimit_AndLosesNothingStored()
    {
        await using var drivers = new TestBackends(TestBackends.Settings((MemstoreBackendType.QueueMemorySetting, "1")));
        var queue = drivers.Registry.Queue("memstore")!;
        var payload = new byte[64 * 1024];
        Task<string> EnqueueAsync(string name, string? key = null) => queue.EnqueueAsync(Ns, name, payload, null, null, key, default);

        var stored = new List<string>();
        BackendFullException? full = null;
        for (var i = 0; i < 100 && full is null; i++)
        {
            try
            {
                stored.Add(await EnqueueAsync("jobs", "key-" + i));
            }
            catch (BackendFullException e)
            {
                full = e;
            }
        }

        Assert.NotNull(full);
        Assert.InRange(stored.Count, 10, 16);
        Assert.Contains("memstore queue 'jobs' is full", full.Message, StringComparison.Ordinal);
        Assert.Contains("'backends:memstore:queue_memory_mb' (PRISM_MEMSTORE_QUEUE_MEMORY_MB)", full.Message, StringComparison.Ordinal);
        // The instance's limit: another queue is full too, and a retried publish of a stored message still answers its id.
        await Assert.ThrowsAsync<BackendFullException>(() => EnqueueAsync("other"));
        Assert.Equal(stored[0], await EnqueueAsync("jobs", "key-0"));

        await using var member = new Member(await queue.ConsumeAsync(Ns, "jobs", "g", "m", NoTimeouts with { MaxInFlight = 100 }, default));
        var received = await member.NextAsync(stored.Count);
        Assert.Equal(stored, received.Select(m => m.MessageId));
        foreach (var message in received)
        {
            await member.AckAsync(message);
        }

        // Settled by every group, the stored messages make room, oldest first.
        for (var i = 0; i < 3 * stored.Count; i++)
        {
            var id = await EnqueueAsync("jobs");
            Assert.Equal(id, (await member.NextAsync()).MessageId);
            await member.AckAsync(member.Current);
        }
    }
}

[Collection(PostgresFixture.Collection)]
public sealed class PostgresQueueTests(PostgresFixture postgres) : QueueContract
{
    private TestBackends? _drivers;

    protected override IQueue Queue => _drivers!.Registry.Queue("postgres")!;

    public override async Task InitializeAsync() =>
        _drivers = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, await SharedDatabase.UrlAsync(postgres).WaitAsync(Timeouts.Await))));

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();

    [Fact]
    public async Task AnotherProcess_ConsumesWhatThisOneEnqueued_InTheSameGroup()
    {
        await using var other = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, await SharedDatabase.UrlAsync(postgres))));
        await using var here = await JoinAsync("handover", "g", "here", NoTimeouts with { VisibilityTimeout = ShortVisibility, MaxInFlight = 1 });
        var id = await EnqueueAsync("handover", "x");
        Assert.Equal(id, (await here.NextAsync()).MessageId);

        await using var there = new Member(await other.Registry.Queue("postgres")!.ConsumeAsync(Ns, "handover", "g", "there", NoTimeouts, default).WaitAsync(Timeouts.Await));

        var again = await there.NextAsync();

        Assert.Equal((id, 2), (again.MessageId, again.Attempt));
    }
}

[Collection(RedisCollection.Redis)]
public sealed class RedisQueueTests(RedisFixture redis) : QueueContract
{
    private TestBackends? _drivers;

    protected override IQueue Queue => _drivers!.Registry.Queue("redis")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, redis.Server.Configuration)));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();

    [Fact]
    public async Task EveryKey_StartsWithTheNamespacePrefix_SoANamespaceAclCoversIt()
    {
        await EnqueueAsync("acl", "a", key: "k1");
        await EnqueueAsync("acl", "b");
        await using var member = await JoinAsync("acl", "g", "m1", NoTimeouts with { MaxRetries = 1 });
        await member.NackAsync(await member.NextAsync(), TimeSpan.FromMinutes(10), "later");
        var b = await member.NextAsync();
        await member.NackAsync(b, TimeSpan.Zero, "again");
        await member.NackAsync(await member.NextAsync(), TimeSpan.Zero, "dead");
        await DeadLettersAsync("acl", 1);
        await using var direct = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);

        var keys = direct.GetServer(direct.GetEndPoints()[0]).Keys(pattern: $"*{Ns}*").Select(k => (string)k!).ToList();

        Assert.Equal(["dead", "delays:g", "key:k1", "messages"], keys.Select(k => k[(k.LastIndexOf(":acl}:", StringComparison.Ordinal) + 6)..]).Order(StringComparer.Ordinal));
        Assert.All(keys, k => Assert.StartsWith($"prism:{Ns.Length}:{Ns}:queue:{{3:acl}}:", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AcksMadeTogether_ShareXackCommands_AndEachIsApplied()
    {
        await Queue.EnqueueBatchAsync(Ns, "acks", [.. Enumerable.Range(0, 32).Select(i => new QueueEntry(new[] { (byte)i }, null, null, null))], default);
        await using var member = await JoinAsync("acks", "g", "m1");
        var first = await member.NextAsync();
        // One redelivered message too: its ack also forgets any nack delay, in the same transaction.
        await member.NackAsync(first, TimeSpan.Zero);
        var messages = await member.NextAsync(32);
        Assert.Contains(messages, m => m.Attempt == 2);
        await using var direct = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var before = await XackCallsAsync();

        var acked = await Task.WhenAll(messages.Select(m => member.Consumer.AckAsync(m.MessageId, default))).WaitAsync(Timeouts.Await);

        Assert.All(acked, Assert.True);
        Assert.InRange(await XackCallsAsync() - before, 1, messages.Count - 1);
        var pending = await direct.GetDatabase().StreamPendingAsync($"prism:{Ns.Length}:{Ns}:queue:{{4:acks}}:messages", "g");
        Assert.Equal(0, pending.PendingMessageCount);
    }

    [Fact]
    public async Task AnEntryWrittenWithAFieldPerValue_AsBeforeMessagesWerePacked_IsDeliveredWithItsMetadataAndContext()
    {
        await using var direct = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        await direct.GetDatabase().StreamAddAsync($"prism:{Ns.Length}:{Ns}:queue:{{3:old}}:messages",
        [
            new("id", "msg-1"), new("payload", "stored before"u8.ToArray()), new("metadata", "{\"kind\":\"legacy\"}"), new("enqueued_at", 1765000000000),
            new("publisher_subject", "user-42"), new("session_id", "ses-1"), new("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        ]);
        await using var member = await JoinAsync("old", "g", "m1");

        var message = await member.NextAsync();

        Assert.Equal(("msg-1", "stored before", "legacy", 1765000000000L), (message.MessageId, Text(message), message.Metadata["kind"], message.EnqueuedAt));
        Assert.Equal(("user-42", "ses-1", null), (message.Context.PublisherSubject, message.Context.SessionId, message.Context.PublisherClientId));
        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", message.Context.TraceParent, StringComparison.Ordinal);
    }

    private async Task<long> XackCallsAsync()
    {
        var stats = await RespClient.SendAsync(redis.Server.Port, "INFO", "commandstats");
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_xack:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task NackDelay_LongerThanTheVisibilityTimeout_IsKept()
    {
        var options = NoTimeouts with { VisibilityTimeout = TimeSpan.FromMilliseconds(300) };
        await EnqueueAsync("long-delay", "wait");
        await using var member = await JoinAsync("long-delay", "g", "m1", options);
        var first = await member.NextAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await member.NackAsync(first, TimeSpan.FromMilliseconds(1200), "later");
        var again = await member.NextAsync();

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1000), $"given out again after {clock.Elapsed}");
        Assert.Equal((first.MessageId, 2), (again.MessageId, again.Attempt));
    }
}

[Collection(NatsCollection.Nats)]
public sealed class NatsQueueTests(NatsFixture nats) : QueueContract
{
    private TestBackends? _drivers;

    protected override IQueue Queue => _drivers!.Registry.Queue("nats")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Server.Url)));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();

    [Fact]
    public async Task AnotherProcess_ConsumesWhatThisOneEnqueued_AndSeesItsDeadLetters()
    {
        await using var other = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Server.Url)));
        var id = await EnqueueAsync("handover", "x");
        await using var there = new Member(await other.Registry.Queue("nats")!.ConsumeAsync(Ns, "handover", "g", "there", NoTimeouts with { MaxRetries = 0 }, default)
            .WaitAsync(Timeouts.Await));

        var message = await there.NextAsync();
        await there.NackAsync(message, TimeSpan.Zero, "from afar");

        Assert.Equal(id, message.MessageId);
        Assert.Equal("from afar", Assert.Single(await DeadLettersAsync("handover", 1)).Error);
    }
}

/// <summary>The contract on a 3-master Redis Cluster, configured in StackExchange.Redis form (every node, comma-separated).</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterQueueTests(RedisClusterFixture redis) : QueueContract
{
    private TestBackends? _drivers;

    protected override IQueue Queue => _drivers!.Registry.Queue("redis")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, redis.Cluster.Configuration)));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}
