using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests.Queue;

/// <summary>What every queue driver must do. Each test uses its own namespace.</summary>
public abstract class QueueContract : IAsyncLifetime
{
    /// <summary>Redelivery tests wait this long for a timeout.</summary>
    protected static readonly TimeSpan ShortVisibility = TimeSpan.FromMilliseconds(500);

    /// <summary>Long enough that nothing times out during a test.</summary>
    protected static readonly ConsumeOptions NoTimeouts = new() { VisibilityTimeout = TimeSpan.FromMinutes(5), MaxRetries = 2, MaxInFlight = 32 };

    protected string Ns { get; } = "ns-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The driver under test.</summary>
    protected abstract IQueue Queue { get; }

    /// <summary>
    /// False where the engine may give a message out again before a nack delay longer than the visibility
    /// timeout (a NATS 2.9 cluster: docs/proxy.md); the other delay tests keep the delay under it.
    /// </summary>
    protected virtual bool HonoursNackDelaysBeyondVisibility => true;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected Task<string> EnqueueAsync(string queue, string text, string? key = null, IReadOnlyDictionary<string, string>? metadata = null,
        MessageContext? context = null, string? ns = null) =>
        Queue.EnqueueAsync(ns ?? Ns, queue, Encoding.UTF8.GetBytes(text), metadata, context, key, default).WaitAsync(Timeouts.Await);

    protected async Task<Member> JoinAsync(string queue, string group, string member, ConsumeOptions? options = null, string? ns = null) =>
        new(await Queue.ConsumeAsync(ns ?? Ns, queue, group, member, options ?? NoTimeouts, default).WaitAsync(Timeouts.Await));

    protected async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string queue, string? after = null, int limit = 100) =>
        await Queue.ListDeadLettersAsync(Ns, queue, after, limit, default).WaitAsync(Timeouts.Await);

    /// <summary>Waits until <paramref name="queue"/> has <paramref name="count"/> dead letters and returns them.</summary>
    protected async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string queue, int count)
    {
        IReadOnlyList<DeadLetter> dead = [];
        await Timeouts.EventuallyAsync(async () => (dead = await DeadLettersAsync(queue)).Count >= count, $"{count} dead letters on {queue}");
        Assert.Equal(count, dead.Count);
        return dead;
    }

    /// <summary>A context as the proxy fills it.</summary>
    protected MessageContext SampleContext() => new("user-42", "prismctl", "ses-0123456789ab", Ns,
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");

    protected static string Text(QueueMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    protected static string Text(DeadLetter message) => Encoding.UTF8.GetString(message.Payload.Span);

    [Fact]
    public void Capabilities_IncludeBasicAndDeadLetters()
    {
        Assert.Contains(Capabilities.QueueBasic, Queue.Capabilities);
        Assert.Contains(Capabilities.QueueDeadLetter, Queue.Capabilities);
    }

    [Fact]
    public async Task Member_GetsPayloadMetadataContextAndFirstAttempt()
    {
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var before = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var metadata = new Dictionary<string, string> { ["kind"] = "created", ["ü"] = "ß", ["traceparent"] = "mine", ["Kind"] = "upper" };
        var id = await Queue.EnqueueAsync(Ns, "orders", payload, metadata, SampleContext(), null, default).WaitAsync(Timeouts.Await);
        await using var member = await JoinAsync("orders", "billing", "m1");

        var message = await member.NextAsync();

        Assert.Equal(("orders", id, 1), (message.Queue, message.MessageId, message.Attempt));
        Assert.Equal(payload, message.Payload.ToArray());
        Assert.Equal(metadata, message.Metadata);
        Assert.Equal(SampleContext(), message.Context);
        Assert.InRange(message.EnqueuedAt, before, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        await member.AckAsync(message);
    }

    [Fact]
    public async Task MessageWithoutContext_HasEmptyContext_AndEmptyPayloadIsKept()
    {
        await Queue.EnqueueAsync(Ns, "bare", ReadOnlyMemory<byte>.Empty, null, new MessageContext("", null, "", null, "", null), null, default).WaitAsync(Timeouts.Await);
        await using var member = await JoinAsync("bare", "g", "m1");

        var message = await member.NextAsync();

        Assert.True(message.Context.IsEmpty, message.Context.ToString());
        Assert.Empty(message.Metadata);
        Assert.Equal(0, message.Payload.Length);
    }

    [Fact]
    public async Task EachMessage_GoesToExactlyOneMemberOfTheGroup()
    {
        const int count = 40;
        var small = NoTimeouts with { MaxInFlight = 4 };
        await using var first = await JoinAsync("work", "workers", "w1", small);
        await using var second = await JoinAsync("work", "workers", "w2", small);
        await using var third = await JoinAsync("work", "workers", "w3", small);
        var enqueued = new List<string>();
        for (var i = 0; i < count; i++)
        {
            enqueued.Add(await EnqueueAsync("work", $"job {i}"));
        }

        var received = new ConcurrentBag<(string Member, string Id)>();
        using var stop = new CancellationTokenSource(Timeouts.Await);
        var readers = new[] { first, second, third }.Select(member => Task.Run(async () =>
        {
            await foreach (var message in member.Consumer.ReadAllAsync(stop.Token))
            {
                received.Add((member.Consumer.ConsumerId, message.MessageId));
                await member.AckAsync(message);
                if (received.Count >= count)
                {
                    await stop.CancelAsync();
                }
            }
        })).ToList();
        await Timeouts.EventuallyAsync(() => Task.FromResult(received.Count >= count), $"{count} messages received");
        await stop.CancelAsync();
        await Task.WhenAll(readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Timeouts.Await);

        Assert.Equal(enqueued.Order(), received.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task EveryGroup_GetsEveryMessage()
    {
        await EnqueueAsync("events", "a");
        await EnqueueAsync("events", "b");
        await using var billing = await JoinAsync("events", "billing", "m1");
        await using var audit = await JoinAsync("events", "audit", "m1");

        Assert.Equal(["a", "b"], (await billing.NextAsync(2)).Select(Text));
        Assert.Equal(["a", "b"], (await audit.NextAsync(2)).Select(Text));
    }

    [Fact]
    public async Task FirstDeliveries_FollowEnqueueOrder()
    {
        var texts = Enumerable.Range(0, 20).Select(i => $"m{i}").ToList();
        foreach (var text in texts)
        {
            await EnqueueAsync("fifo", text);
        }

        await using var member = await JoinAsync("fifo", "g", "m1");

        Assert.Equal(texts, (await member.NextAsync(texts.Count)).Select(Text));
    }

    [Fact]
    public async Task QueuesAndNamespaces_AreApart()
    {
        var otherNs = Ns + "-other";
        await EnqueueAsync("shared", "mine");
        await EnqueueAsync("shared", "theirs", ns: otherNs);
        await EnqueueAsync("shared-2", "next door");
        await using var member = await JoinAsync("shared", "g", "m1", ns: otherNs);

        Assert.Equal("theirs", Text(await member.NextAsync()));
        await EnqueueAsync("shared", "theirs again", ns: otherNs);
        Assert.Equal("theirs again", Text(await member.NextAsync()));
    }

    [Fact]
    public async Task UnackedMessage_GoesToAnotherMember_AfterTheVisibilityTimeout()
    {
        var options = NoTimeouts with { VisibilityTimeout = ShortVisibility };
        var id = await EnqueueAsync("jobs", "slow");
        await using var crashed = await JoinAsync("jobs", "workers", "crashed", options);
        var first = await crashed.NextAsync();
        await crashed.Consumer.DisposeAsync();

        await using var rescuer = await JoinAsync("jobs", "workers", "rescuer", options);
        var again = await rescuer.NextAsync();

        Assert.Equal((id, 1), (first.MessageId, first.Attempt));
        Assert.Equal((id, "slow", 2), (again.MessageId, Text(again), again.Attempt));
        await rescuer.AckAsync(again);
    }

    [Fact]
    public async Task LateAck_OfAMessageGivenOutAgain_IsAccepted()
    {
        var options = NoTimeouts with { VisibilityTimeout = ShortVisibility };
        await EnqueueAsync("late", "x");
        // One slot, held: the slow member cannot take the message again itself.
        await using var slow = await JoinAsync("late", "g", "slow", options with { MaxInFlight = 1 });
        var first = await slow.NextAsync();
        await using var other = await JoinAsync("late", "g", "other", options);
        var again = await other.NextAsync();

        await slow.AckAsync(first);

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.False(await slow.Consumer.AckAsync(first.MessageId, default).WaitAsync(Timeouts.Await), "acked twice");
    }

    [Fact]
    public async Task Nack_WithoutDelay_GivesTheMessageOutAgainAtOnce()
    {
        await EnqueueAsync("retry", "flaky");
        await using var member = await JoinAsync("retry", "g", "m1");
        var first = await member.NextAsync();

        await member.NackAsync(first, TimeSpan.Zero, "try again");
        var again = await member.NextAsync();

        Assert.Equal((first.MessageId, 2), (again.MessageId, again.Attempt));
        await member.AckAsync(again);
    }

    [Fact]
    public async Task Nack_WithDelay_HidesTheMessageForTheDelay()
    {
        var delay = TimeSpan.FromMilliseconds(800);
        await EnqueueAsync("backoff", "later");
        await using var member = await JoinAsync("backoff", "g", "m1");
        var first = await member.NextAsync();

        var clock = Stopwatch.StartNew();
        await member.NackAsync(first, delay, "busy");
        var again = await member.NextAsync();

        Assert.Equal((first.MessageId, 2), (again.MessageId, again.Attempt));
        Assert.True(clock.Elapsed >= delay * 0.75, $"given out again after {clock.Elapsed}, before the {delay} delay");
    }

    [Fact]
    public async Task Nack_WithDelay_InOneGroup_IsKept_WhenAnotherGroupSettlesTheSameMessage()
    {
        var delay = TimeSpan.FromSeconds(2);
        var options = NoTimeouts with { VisibilityTimeout = ShortVisibility };
        await EnqueueAsync("shared", "job");
        await using var billing = await JoinAsync("shared", "billing", "b1", options);
        await using var audit = await JoinAsync("shared", "audit", "a1", options);
        var first = await billing.NextAsync();

        var clock = Stopwatch.StartNew();
        await billing.NackAsync(first, delay, "busy");
        await audit.NackAsync(await audit.NextAsync(), TimeSpan.Zero, "once more");
        await audit.AckAsync(await audit.NextAsync());
        var auditDone = clock.Elapsed;
        var again = await billing.NextAsync();

        // Each group's delay is its own: audit's retry does not wait for billing's, nor does billing's end with audit's ack.
        Assert.True(auditDone < delay * 0.75, $"audit's retry came after {auditDone}, held by billing's {delay} delay");
        Assert.Equal((first.MessageId, 2), (again.MessageId, again.Attempt));
        if (HonoursNackDelaysBeyondVisibility)
        {
            Assert.True(clock.Elapsed >= delay * 0.75, $"given out again after {clock.Elapsed}, before the {delay} delay");
        }
    }

    [Fact]
    public async Task Nack_OnTheLastDelivery_MakesADeadLetter_WithTheErrorAndOriginal()
    {
        var metadata = new Dictionary<string, string> { ["kind"] = "poison" };
        var id = await EnqueueAsync("poison", "bad", metadata: metadata, context: SampleContext());
        await using var member = await JoinAsync("poison", "billing", "m1", NoTimeouts with { MaxRetries = 2 });

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var message = await member.NextAsync();
            Assert.Equal((id, attempt), (message.MessageId, message.Attempt));
            await member.NackAsync(message, TimeSpan.Zero, $"boom {attempt}");
        }

        var dead = Assert.Single(await DeadLettersAsync("poison", 1));
        Assert.Equal(("poison", "billing", id, "bad", 3, "boom 3"), (dead.Queue, dead.Group, dead.MessageId, Text(dead), dead.Attempts, dead.Error));
        Assert.Equal(metadata, dead.Metadata);
        Assert.Equal(SampleContext(), dead.Context);
        Assert.True(dead.DeadAt >= dead.EnqueuedAt);
        Assert.Equal(dead, await Queue.GetDeadLetterAsync(Ns, "poison", dead.Id, default).WaitAsync(Timeouts.Await), DeadLetterComparer.Instance);
        Assert.Null(await Queue.GetDeadLetterAsync(Ns, "other-queue", dead.Id, default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task LastDelivery_TimingOut_MakesADeadLetter()
    {
        var id = await EnqueueAsync("stuck", "hangs");
        await using var member = await JoinAsync("stuck", "g", "m1", NoTimeouts with { VisibilityTimeout = ShortVisibility, MaxRetries = 0 });
        Assert.Equal(id, (await member.NextAsync()).MessageId);

        var dead = Assert.Single(await DeadLettersAsync("stuck", 1));

        Assert.Equal((id, 1, DeadLetter.VisibilityTimeoutError), (dead.MessageId, dead.Attempts, dead.Error));
    }

    [Fact]
    public async Task Replay_PutsTheDeadLetterBackOnTheQueue_WithFreshAttempts()
    {
        await EnqueueAsync("replay", "second chance", metadata: new Dictionary<string, string> { ["k"] = "v" }, context: SampleContext());
        await using var member = await JoinAsync("replay", "g", "m1", NoTimeouts with { MaxRetries = 0 });
        await member.NackAsync(await member.NextAsync(), TimeSpan.Zero, "bug");
        var dead = Assert.Single(await DeadLettersAsync("replay", 1));

        var replayed = await Queue.ReplayDeadLetterAsync(Ns, "replay", dead.Id, default).WaitAsync(Timeouts.Await);

        var again = await member.NextAsync();
        Assert.Equal((replayed, "second chance", 1), (again.MessageId, Text(again), again.Attempt));
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, again.Metadata);
        Assert.Equal(SampleContext(), again.Context);
        Assert.Empty(await DeadLettersAsync("replay"));
        Assert.Null(await Queue.ReplayDeadLetterAsync(Ns, "replay", dead.Id, default).WaitAsync(Timeouts.Await));
        await member.AckAsync(again);
    }

    [Fact]
    public async Task DeadLetters_ArePaged_AndPurgedPerQueue()
    {
        await using var member = await JoinAsync("purge", "g", "m1", NoTimeouts with { MaxRetries = 0 });
        await using var neighbour = await JoinAsync("purge-2", "g", "m1", NoTimeouts with { MaxRetries = 0 });
        foreach (var text in new[] { "a", "b", "c" })
        {
            await EnqueueAsync("purge", text);
            await member.NackAsync(await member.NextAsync(), TimeSpan.Zero, "no");
        }

        await EnqueueAsync("purge-2", "kept");
        await neighbour.NackAsync(await neighbour.NextAsync(), TimeSpan.Zero, "no");
        await DeadLettersAsync("purge-2", 1);

        var all = await DeadLettersAsync("purge", 3);
        var page = await DeadLettersAsync("purge", limit: 2);
        var rest = await DeadLettersAsync("purge", after: page[^1].Id);
        Assert.Equal(["a", "b", "c"], all.Select(Text));
        Assert.Equal(["a", "b"], page.Select(Text));
        Assert.Equal(["c"], rest.Select(Text));

        Assert.Equal(3, await Queue.PurgeDeadLettersAsync(Ns, "purge", default).WaitAsync(Timeouts.Await));
        Assert.Empty(await DeadLettersAsync("purge"));
        Assert.Equal(["kept"], (await DeadLettersAsync("purge-2")).Select(Text));
    }

    [Fact]
    public async Task Enqueue_WithTheSameIdempotencyKey_IsStoredOnce_AndReturnsTheSameId()
    {
        var first = await EnqueueAsync("payments", "charge 10", key: "order-17");
        var retried = await EnqueueAsync("payments", "charge 10", key: "order-17");
        var other = await EnqueueAsync("payments", "charge 20", key: "order-18");
        var elsewhere = await EnqueueAsync("refunds", "refund 10", key: "order-17");
        var sentinel = await EnqueueAsync("payments", "end");
        await using var member = await JoinAsync("payments", "g", "m1");

        var received = await member.NextAsync(3);

        Assert.Equal(first, retried);
        Assert.Equal(3, new[] { first, other, elsewhere }.Distinct().Count());
        Assert.Equal([first, other, sentinel], received.Select(m => m.MessageId));
        Assert.Equal(["charge 10", "charge 20", "end"], received.Select(Text));
    }

    [Fact]
    public async Task EnqueueBatch_StoresEveryEntry_WithItsMetadataAndContext_AndAnIdempotencyKeyOnce()
    {
        var earlier = await EnqueueAsync("batch", "earlier", key: "k-1");
        var metadata = new Dictionary<string, string> { ["n"] = "1" };

        var ids = await Queue.EnqueueBatchAsync(Ns, "batch",
        [
            new QueueEntry(Encoding.UTF8.GetBytes("a"), metadata, SampleContext(), null),
            new QueueEntry(Encoding.UTF8.GetBytes("earlier, retried"), null, null, "k-1"),
            new QueueEntry(Encoding.UTF8.GetBytes("b"), null, null, "k-2"),
            new QueueEntry(Encoding.UTF8.GetBytes("b"), null, null, "k-2"),
        ], default).WaitAsync(Timeouts.Await);
        await EnqueueAsync("batch", "end");
        await using var member = await JoinAsync("batch", "g", "m1");
        var received = await member.NextAsync(4);

        Assert.Equal(4, ids.Count);
        Assert.Equal(earlier, ids[1]);
        Assert.Equal(ids[2], ids[3]);
        Assert.Equal(3, new[] { earlier, ids[0], ids[2] }.Distinct().Count());
        Assert.Equal(["a", "b", "earlier", "end"], received.Select(Text).Order(StringComparer.Ordinal));
        var a = received.Single(m => Text(m) == "a");
        Assert.Equal(ids[0], a.MessageId);
        Assert.Equal(metadata, a.Metadata);
        Assert.Equal(SampleContext(), a.Context);
        Assert.Equal(ids[2], received.Single(m => Text(m) == "b").MessageId);
    }

    [Fact]
    public async Task EnqueueBatch_OfHundreds_StoresEachEntryOnce_AndAKeyRepeatedFarApartOnce()
    {
        var entries = Enumerable.Range(0, 300)
            .Select(i => i == 250
                ? new QueueEntry(Encoding.UTF8.GetBytes("m9"), null, null, "k9") // entry 9 again, as a retry sends it
                : new QueueEntry(Encoding.UTF8.GetBytes($"m{i}"), null, null, i % 3 == 0 ? $"k{i}" : null))
            .ToList();

        var ids = await Queue.EnqueueBatchAsync(Ns, "many", entries, default).WaitAsync(Timeouts.Await);
        await using var member = await JoinAsync("many", "g", "m1");
        var texts = new List<string>();
        for (var i = 0; i < 299; i++)
        {
            var message = await member.NextAsync();
            texts.Add(Text(message));
            await member.AckAsync(message);
        }

        Assert.Equal(300, ids.Count);
        Assert.Equal(ids[9], ids[250]);
        Assert.Equal(299, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 300).Where(i => i != 250).Select(i => $"m{i}").Order(StringComparer.Ordinal), texts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Member_HoldsAtMostMaxInFlight_AndTheRestGoesToOtherMembers()
    {
        var texts = Enumerable.Range(0, 10).Select(i => $"m{i}").ToList();
        await using var slow = await JoinAsync("bp", "g", "slow", NoTimeouts with { MaxInFlight = 3 });
        foreach (var text in texts)
        {
            await EnqueueAsync("bp", text);
        }

        var held = await slow.NextAsync(3);
        await using var fast = await JoinAsync("bp", "g", "fast", NoTimeouts with { MaxInFlight = 100 });
        var rest = await fast.NextAsync(7);

        // Ten messages, none given out twice (visibility is minutes): the slow member held no more than three.
        Assert.Equal(texts, held.Concat(rest).Select(Text).Order(StringComparer.Ordinal));
        await fast.Consumer.DisposeAsync();
        await slow.AckAsync(held[0]);
        await EnqueueAsync("bp", "after ack");
        Assert.Equal("after ack", Text(await slow.NextAsync()));
    }

    [Fact]
    public async Task Member_WithOneSlot_GetsTheNextMessage_OnlyAfterSettlingTheFirst()
    {
        await EnqueueAsync("one", "first");
        await EnqueueAsync("one", "second");
        await using var member = await JoinAsync("one", "g", "m1", NoTimeouts with { MaxInFlight = 1 });

        var first = await member.NextAsync();
        await member.AckAsync(first);
        var second = await member.NextAsync();

        Assert.Equal(["first", "second"], new[] { first, second }.Select(Text));
    }

    [Fact]
    public async Task Settling_AMessageTheMemberDoesNotHold_ReturnsFalse()
    {
        await using var member = await JoinAsync("none", "g", "m1");

        Assert.False(await member.Consumer.AckAsync("no-such-id", default).WaitAsync(Timeouts.Await));
        Assert.False(await member.Consumer.NackAsync("no-such-id", TimeSpan.Zero, null, default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task OptionsOutOfRange_AreRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.ConsumeAsync(Ns, "q", "g", "m", NoTimeouts with { MaxInFlight = 0 }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.ConsumeAsync(Ns, "q", "g", "m", NoTimeouts with { VisibilityTimeout = TimeSpan.Zero }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.ConsumeAsync(Ns, "q", "g", "m", NoTimeouts with { MaxRetries = -1 }, default));
    }

    /// <summary>Dead letters compared by value (payloads by content).</summary>
    private sealed class DeadLetterComparer : IEqualityComparer<DeadLetter?>
    {
        public static DeadLetterComparer Instance { get; } = new();

        public bool Equals(DeadLetter? x, DeadLetter? y) =>
            x is not null && y is not null && x.Payload.Span.SequenceEqual(y.Payload.Span)
            && x with { Payload = default, Metadata = null! } == y with { Payload = default, Metadata = null! }
            && x.Metadata.OrderBy(p => p.Key).SequenceEqual(y.Metadata.OrderBy(p => p.Key));

        public int GetHashCode(DeadLetter? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
