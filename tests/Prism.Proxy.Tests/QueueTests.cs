using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Prism.Backends;
using Prism.ControlStore;
using Prism.Interfaces.Queue;
using Prism.Proxy.Sessions;
using Prism.Proxy.Tests.Support;
using Prism.Testing.Oidc;
using Prism.Testing.Servers;

namespace Prism.Proxy.Tests;

/// <summary>
/// Queues through the proxy, on memstore and on real Redis Streams, NATS JetStream and PostgreSQL
/// instances: delivery and acks, one member per message in a group, redelivery after the visibility
/// timeout, nack delay, dead letters, idempotent publish, message context; then the protocol's refusals.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class QueueTests(RedisFixture redis, NatsFixture nats, PostgresFixture postgres) : IAsyncLifetime
{
    private ProxyServer _server = null!;

    public static TheoryData<string> Backends => ["memstore", "redis-q", "nats-q", "pg-q"];

    public async Task InitializeAsync() => _server = await ProxyServer.StartAsync(new Dictionary<string, string?>
    {
        ["backends:instances:redis-q:type"] = "redis",
        ["backends:instances:redis-q:url"] = redis.Server.Configuration,
        ["backends:instances:nats-q:type"] = "nats",
        ["backends:instances:nats-q:url"] = nats.Server.Url,
        ["backends:instances:pg-q:type"] = "postgres",
        ["backends:instances:pg-q:url"] = await postgres.CreateDatabaseAsync(),
        ["proxy:max_key_bytes"] = "64",
        ["proxy:max_value_bytes"] = "1024",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PublishedMessages_AreDelivered_InOrder_AndAnAckedMessageIsNotDeliveredAgain(string backend)
    {
        var (_, options) = await NamespaceAsync(backend);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var request = QueueMember.Message("orders", $"m{i}");
            request.Metadata["n"] = $"{i}";
            ids.Add((await _server.Queue.PublishAsync(request, options)).MessageId);
        }

        await using var member = await JoinAsync(options, "orders", "billing", visibilityMs: 1500);
        Assert.Equal(("orders", "billing", 16, 1500L, 5), (member.Joined.Queue, member.Joined.Group, member.Joined.MaxInFlight,
            member.Joined.VisibilityTimeoutMs, member.Joined.MaxRetries));
        Assert.StartsWith("member-", member.Joined.ConsumerId, StringComparison.Ordinal);
        var messages = await member.NextAsync(3);
        Assert.Equal(ids, messages.Select(m => m.MessageId));
        Assert.Equal(["m0", "m1", "m2"], messages.Select(m => m.Payload.ToStringUtf8()));
        Assert.Equal(["0", "1", "2"], messages.Select(m => m.Metadata["n"]));
        Assert.All(messages, m => Assert.Equal(("orders", 1), (m.Queue, m.Attempt)));
        Assert.All(messages, m => Assert.InRange(m.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), long.MaxValue));
        foreach (var message in messages)
        {
            Assert.True(await member.AckAsync(message.MessageId));
        }

        Assert.False(await member.AckAsync(ids[0]));
        Assert.Null(await member.TryNextAsync(TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task InAGroupOfTwo_EachMessageGoesToOneMember(string backend)
    {
        var (_, options) = await NamespaceAsync(backend);
        await using var first = await JoinAsync(options, "jobs", "workers", maxInFlight: 2);
        await using var second = await JoinAsync(options, "jobs", "workers", maxInFlight: 2);
        var published = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            published.Add((await _server.Queue.PublishAsync(QueueMember.Message("jobs", $"job-{i}"), options)).MessageId);
        }

        var receivedBy = new ConcurrentDictionary<string, string>();
        async Task WorkAsync(QueueMember member, string name)
        {
            while (receivedBy.Count < published.Count)
            {
                if (await member.TryNextAsync(TimeSpan.FromMilliseconds(200)) is { } message)
                {
                    Assert.True(receivedBy.TryAdd(message.MessageId, name), $"{message.MessageId} delivered twice");
                    await Task.Delay(50); // work, so that one member cannot take every message alone
                    Assert.True(await member.AckAsync(message.MessageId));
                }
            }
        }

        await Task.WhenAll(WorkAsync(first, "first"), WorkAsync(second, "second")).WaitAsync(Timeouts.Await);

        Assert.Equal(published, receivedBy.Keys.ToHashSet());
        Assert.Contains("first", receivedBy.Values);
        Assert.Contains("second", receivedBy.Values);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task MessagesHeldByACancelledMember_GoToAnotherMember_AfterTheVisibilityTimeout(string backend)
    {
        var (ns, options) = await NamespaceAsync(backend);
        for (var i = 0; i < 3; i++)
        {
            await _server.Queue.PublishAsync(QueueMember.Message("tasks", $"t{i}"), options);
        }

        var leaving = await JoinAsync(options, "tasks", "g", visibilityMs: 1000);
        var held = await leaving.NextAsync(3);
        var clock = Stopwatch.StartNew();
        await leaving.CancelAsync();
        Assert.Equal(StatusCode.Cancelled, (await leaving.EndAsync())!.StatusCode);
        await leaving.DisposeAsync();
        var sessions = _server.App.Services.GetRequiredService<SessionRegistry>();
        await Timeouts.WaitUntilAsync(() => Task.FromResult(sessions.Sessions.Single(s => s.Namespace == ns).OpenStreams == 0), "the stream is released");

        await using var staying = await JoinAsync(options, "tasks", "g", visibilityMs: 1000);
        var again = await staying.NextAsync(3);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), Timeouts.Await);
        Assert.Equal(held.Select(m => m.MessageId).Order(), again.Select(m => m.MessageId).Order());
        Assert.All(again, m => Assert.Equal(2, m.Attempt));
        foreach (var message in again)
        {
            Assert.True(await staying.AckAsync(message.MessageId));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task NackWithDelay_GivesTheMessageOutAgain_AfterTheDelay(string backend)
    {
        var (_, options) = await NamespaceAsync(backend);
        await _server.Queue.PublishAsync(QueueMember.Message("retry", "later"), options);
        await using var member = await JoinAsync(options, "retry", "g", visibilityMs: 10_000);
        var first = await member.NextAsync();

        var clock = Stopwatch.StartNew();
        Assert.True(await member.NackAsync(first.MessageId, delayMs: 1500, error: "not yet"));
        var again = await member.NextAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(1300), Timeouts.Await);
        Assert.Equal((first.MessageId, 2, "later"), (again.MessageId, again.Attempt, again.Payload.ToStringUtf8()));
        Assert.True(await member.AckAsync(again.MessageId));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PoisonMessage_BecomesADeadLetter_AfterMaxRetries_WithTheLastError(string backend)
    {
        var (ns, options) = await NamespaceAsync(backend);
        var published = await _server.Queue.PublishAsync(QueueMember.Message("payments", "poison"), options);
        await using var member = await JoinAsync(options, "payments", "g", visibilityMs: 10_000, maxRetries: 2);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var message = await member.NextAsync();
            Assert.Equal((published.MessageId, attempt), (message.MessageId, message.Attempt));
            Assert.True(await member.NackAsync(message.MessageId, error: $"cannot parse ({attempt})"));
        }

        Assert.Null(await member.TryNextAsync(TimeSpan.FromSeconds(1)));
        var queue = _server.App.Services.GetRequiredService<BackendDrivers>().Queue(backend)!;
        var dead = Assert.Single(await queue.ListDeadLettersAsync(ns, "payments", null, 10, CancellationToken.None).WaitAsync(Timeouts.Await));
        Assert.Equal((published.MessageId, "g", 3, "cannot parse (3)", "poison"),
            (dead.MessageId, dead.Group, dead.Attempts, dead.Error, System.Text.Encoding.UTF8.GetString(dead.Payload.Span)));
        Assert.Equal("user:dev@example.com", dead.Context.PublisherSubject);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PublishRepeatedWithTheSameIdempotencyKey_IsStoredOnce(string backend)
    {
        var (_, options) = await NamespaceAsync(backend);
        var first = await _server.Queue.PublishAsync(QueueMember.Message("once", "first", idempotencyKey: "order-42"), options);
        var retried = await _server.Queue.PublishAsync(QueueMember.Message("once", "retried", idempotencyKey: "order-42"), options);
        var other = await _server.Queue.PublishAsync(QueueMember.Message("once", "other", idempotencyKey: "order-43"), options);

        await using var member = await JoinAsync(options, "once", "g");
        var messages = await member.NextAsync(2);

        Assert.Equal(first.MessageId, retried.MessageId);
        Assert.Equal([first.MessageId, other.MessageId], messages.Select(m => m.MessageId));
        Assert.Equal(["first", "other"], messages.Select(m => m.Payload.ToStringUtf8()));
        Assert.Null(await member.TryNextAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Member_SeesWhoPublished_AndTheTrace_AndPublishersCannotSpoofEither(string backend)
    {
        var ns = await CreateNamespaceAsync(backend);
        var publisher = ProxyServer.Call(_server.TokenFor("alice@example.com"), ns);
        var traceId = ActivityTraceId.CreateRandom();
        publisher.Headers!.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var request = QueueMember.Message("audit", "signed");
        request.Metadata.Add(new Dictionary<string, string> { ["kind"] = "note", ["prism-publisher"] = "user:mallory@example.com", ["PRISM-SESSION"] = "ses-forged" });
        await _server.Queue.PublishAsync(request, publisher);

        await using var member = await JoinAsync(ProxyServer.Call(_server.TokenFor("bob@example.com"), ns), "audit", "readers");
        var message = await member.NextAsync();

        Assert.Equal("note", message.Metadata["kind"]);
        Assert.Equal("user:alice@example.com", message.Metadata["prism-publisher"]);
        Assert.Equal(TestOidcIssuer.DefaultAudience, message.Metadata["prism-publisher-client-id"]);
        Assert.StartsWith("ses-", message.Metadata["prism-session"], StringComparison.Ordinal);
        Assert.Equal(ns, message.Metadata["prism-namespace"]);
        Assert.StartsWith($"00-{traceId}-", message.Metadata["traceparent"], StringComparison.Ordinal);
        Assert.DoesNotContain(message.Metadata.Values, v => v.Contains("forged", StringComparison.Ordinal) || v.Contains("mallory", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PublishBatch_StoresEachEntry_AnswersOneResultPerEntry_AndRefusesABadEntryAlone(string backend)
    {
        var (_, options) = await NamespaceAsync(backend);
        var earlier = await _server.Queue.PublishAsync(QueueMember.Message("batch", "earlier", idempotencyKey: "k-1"), options);
        var request = new QueuePublishBatchRequest();
        request.Messages.Add(QueueMember.Message("batch", "a"));
        request.Messages.Add(QueueMember.Message("batch", "repeat of earlier", idempotencyKey: "k-1"));
        request.Messages.Add(new QueuePublishRequest { Queue = "batch", Payload = ByteString.CopyFrom(new byte[2048]) });
        request.Messages.Add(QueueMember.Message("", "no queue"));
        request.Messages.Add(QueueMember.Message("batch", "b", idempotencyKey: "k-2"));

        var results = (await _server.Queue.PublishBatchAsync(request, options)).Results;

        Assert.Equal(5, results.Count);
        Assert.Equal(earlier.MessageId, results[1].MessageId);
        Assert.StartsWith("messages[2].payload is 2048 bytes; the limit is 1024 bytes", results[2].Error, StringComparison.Ordinal);
        Assert.Equal(("messages[3].queue must not be empty", (int)StatusCode.InvalidArgument), (results[3].Error, results[3].Code));
        Assert.All(new[] { results[0], results[4] }, r => Assert.Equal(("", 0), (r.Error, r.Code)));
        Assert.Equal("", results[2].MessageId);
        await using var member = await JoinAsync(options, "batch", "g");
        var messages = await member.NextAsync(3);
        Assert.Equal(new[] { earlier.MessageId, results[0].MessageId, results[4].MessageId }.Order(StringComparer.Ordinal),
            messages.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "earlier"], messages.Select(m => m.Payload.ToStringUtf8()).Order(StringComparer.Ordinal));
        Assert.Null(await member.TryNextAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task PublishBatch_OverTheBatchLimit_IsInvalidArgument_AndStoresNothing()
    {
        var (_, options) = await NamespaceAsync("memstore");
        var request = new QueuePublishBatchRequest();
        request.Messages.Add(Enumerable.Range(0, 1001).Select(i => QueueMember.Message("many", $"{i}")));

        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, _server.Queue.PublishBatchAsync(request, options));

        Assert.StartsWith("batch has 1001 items; the limit is 1000", error.Status.Detail, StringComparison.Ordinal);
        await using var member = await JoinAsync(options, "many", "g");
        Assert.Null(await member.TryNextAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData("memstore")]
    [InlineData("redis-q")]
    public async Task PublishStream_AnswersEachBatchInOrder_RefusingABadEntryAlone_AndEndsNormallyWhenTheClientDoes(string backend)
    {
        var (_, options) = await NamespaceAsync(backend);
        using var call = _server.Queue.PublishStream(options);
        var batches = Enumerable.Range(0, 3).Select(b =>
        {
            var batch = new QueuePublishBatchRequest();
            batch.Messages.Add(QueueMember.Message("streamed", $"b{b}-0", idempotencyKey: $"k-{b}"));
            batch.Messages.Add(b == 1 ? QueueMember.Message("", "no queue") : QueueMember.Message("streamed", $"b{b}-1"));
            return batch;
        }).ToList();
        // The next batches go before the first is answered.
        foreach (var batch in batches)
        {
            await call.RequestStream.WriteAsync(batch).WaitAsync(Timeouts.Await);
        }

        await call.RequestStream.CompleteAsync().WaitAsync(Timeouts.Await);
        var answers = await call.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(Timeouts.Await);

        Assert.Equal([2, 2, 2], answers.Select(a => a.Results.Count));
        Assert.Equal(("messages[1].queue must not be empty", ""), (answers[1].Results[1].Error, answers[1].Results[1].MessageId));
        var stored = answers.SelectMany(a => a.Results).Where(r => r.Error.Length == 0).Select(r => r.MessageId).ToList();
        Assert.Equal(5, stored.Distinct().Count());
        await using var member = await JoinAsync(options, "streamed", "g");
        var messages = await member.NextAsync(5);
        Assert.Equal(stored.Order(StringComparer.Ordinal), messages.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        // In order: the answer to batch b carries batch b's messages.
        Assert.Equal(["b0-0", "b0-1", "b1-0", "b2-0", "b2-1"],
            stored.Select(id => messages.Single(m => m.MessageId == id).Payload.ToStringUtf8()));
        Assert.Null(await member.TryNextAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task PublishStream_ABatchOverTheLimit_EndsTheStreamWithInvalidArgument_AfterAnsweringTheOnesBefore()
    {
        var (_, options) = await NamespaceAsync("memstore");
        using var call = _server.Queue.PublishStream(options);
        var first = new QueuePublishBatchRequest();
        first.Messages.Add(QueueMember.Message("many", "fine"));
        var tooMany = new QueuePublishBatchRequest();
        tooMany.Messages.Add(Enumerable.Range(0, 1001).Select(i => QueueMember.Message("many", $"{i}")));
        await call.RequestStream.WriteAsync(first).WaitAsync(Timeouts.Await);
        await call.RequestStream.WriteAsync(tooMany).WaitAsync(Timeouts.Await);

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeouts.Await));
        Assert.Single(call.ResponseStream.Current.Results);
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, () => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.StartsWith("batch has 1001 items; the limit is 1000", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishStream_CountsInTheSession_AndEndsWithTheSession()
    {
        var (ns, options) = await NamespaceAsync("memstore", "streamed-publisher@example.com");
        using var call = _server.Queue.PublishStream(options);
        var batch = new QueuePublishBatchRequest();
        batch.Messages.Add(QueueMember.Message("q", "x"));
        await call.RequestStream.WriteAsync(batch).WaitAsync(Timeouts.Await);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeouts.Await));
        var session = _server.App.Services.GetRequiredService<SessionRegistry>().Sessions.Single(s => s.Namespace == ns);
        Assert.Equal(1, session.OpenStreams);

        session.Terminate("ops@example.com", "suspicious traffic");

        var ended = await Rpc.FailsAsync(StatusCode.PermissionDenied, () => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal($"session {session.Id} terminated by ops@example.com: suspicious traffic", ended.Status.Detail);
        await Timeouts.WaitUntilAsync(() => Task.FromResult(session.OpenStreams == 0), "the stream is released");
    }

    [Fact]
    public async Task AnEntrysOwnTraceContext_IsTheMessagesTrace_AndAMalformedOneIsRefusedNamingIt()
    {
        var (_, options) = await NamespaceAsync("memstore");
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        var request = new QueuePublishBatchRequest();
        var traced = QueueMember.Message("traced", "mine");
        traced.Traceparent = $"00-{traceId}-{spanId}-01";
        traced.Tracestate = "vendor=value";
        var malformed = QueueMember.Message("traced", "bad");
        malformed.Traceparent = "00-not-a-trace-01";
        var stateAlone = QueueMember.Message("traced", "state alone");
        stateAlone.Tracestate = "vendor=value";
        request.Messages.Add([traced, malformed, stateAlone]);

        var results = (await _server.Queue.PublishBatchAsync(request, options)).Results;

        Assert.Equal("", results[0].Error);
        Assert.StartsWith("messages[1].traceparent is not a W3C traceparent", results[1].Error, StringComparison.Ordinal);
        Assert.StartsWith("messages[2].traceparent is not a W3C traceparent", results[2].Error, StringComparison.Ordinal);
        await using var member = await JoinAsync(options, "traced", "g");
        var message = await member.NextAsync();
        Assert.Equal((traced.Traceparent, "vendor=value"), (message.Metadata["traceparent"], message.Metadata["tracestate"]));
        var longState = QueueMember.Message("traced", "x");
        longState.Traceparent = traced.Traceparent;
        longState.Tracestate = "v=" + new string('a', 600);
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, _server.Queue.PublishAsync(longState, options));
        Assert.Equal("tracestate is 602 characters; W3C allows 512", error.Status.Detail);
    }

    [Fact]
    public async Task AMember_HoldsAtMostMaxInFlight_AndGetsTheNextOnceItSettlesOne()
    {
        var (_, options) = await NamespaceAsync("memstore");
        for (var i = 0; i < 6; i++)
        {
            await _server.Queue.PublishAsync(QueueMember.Message("bounded", $"b{i}"), options);
        }

        await using var member = await JoinAsync(options, "bounded", "g", maxInFlight: 3);
        var held = await member.NextAsync(3);
        Assert.Null(await member.TryNextAsync(TimeSpan.FromMilliseconds(500)));

        Assert.True(await member.AckAsync(held[0].MessageId));
        Assert.Equal("b3", (await member.NextAsync()).Payload.ToStringUtf8());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ABatchedMember_GetsOnlyBatches_AndOneSettleSettlesEachOfItsEntries(string backend)
    {
        var (_, options) = await NamespaceAsync(backend);
        var batch = new QueuePublishBatchRequest();
        batch.Messages.AddRange(Enumerable.Range(0, 20).Select(i => QueueMember.Message("batched", $"m{i}")));
        var ids = (await _server.Queue.PublishBatchAsync(batch, options)).Results.Select(r => r.MessageId).ToList();

        await using var member = await QueueMember.JoinAsync(_server.Queue, options,
            new Join { Queue = "batched", Group = "g", MaxInFlight = 20, VisibilityTimeoutMs = 60_000, MaxRetries = 3, Batched = true });
        var messages = await member.NextAsync(20);
        Assert.Equal(ids.Order(), messages.Select(m => m.MessageId).Order());
        var nacked = messages[7].MessageId;
        var outcomes = await member.SettleAsync(messages.Select(m => m.MessageId).Where(id => id != nacked), [nacked]);
        Assert.Equal(ids.Order(), outcomes.Keys.Order());
        Assert.All(outcomes.Values, Assert.True);

        var again = await member.NextAsync();
        Assert.Equal((nacked, 2), (again.MessageId, again.Attempt));
        var acked = ids.First(id => id != nacked);
        var last = await member.SettleAsync([nacked, acked], []);
        Assert.Equal((true, false), (last[nacked], last[acked]));
        Assert.Null(await member.TryNextAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal([ConsumeResponse.EventOneofCase.Batch], member.Events.Keys);

        // A member that did not ask for batches gets one event per message and per settlement.
        foreach (var entry in batch.Messages)
        {
            entry.Queue = "plain";
        }

        await _server.Queue.PublishBatchAsync(batch, options);
        await using var plain = await JoinAsync(options, "plain", "g", maxInFlight: 20);
        foreach (var message in await plain.NextAsync(20))
        {
            Assert.True(await plain.AckAsync(message.MessageId));
        }

        Assert.Equal([ConsumeResponse.EventOneofCase.Message, ConsumeResponse.EventOneofCase.Settled], plain.Events.Keys.Order());
    }

    [Fact]
    public async Task Settle_WithMoreEntriesThanMaxInFlight_IsInvalidArgument()
    {
        var (_, options) = await NamespaceAsync("memstore");
        await using var member = await JoinAsync(options, "q", "g", maxInFlight: 2);
        var settle = new Settle();
        settle.Acks.AddRange(new[] { "a-1", "a-2", "a-3" }.Select(id => new Ack { MessageId = id }));
        await member.SendAsync(new ConsumeRequest { Settle = settle });

        var error = await member.EndAsync();
        Assert.Equal((StatusCode.InvalidArgument, "settle carries 3 acks and nacks; at most max_in_flight (2)"), (error!.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task ExplicitZeroRetries_IsKept_AndTheFirstNackMakesADeadLetter()
    {
        var (ns, options) = await NamespaceAsync("memstore");
        await _server.Queue.PublishAsync(QueueMember.Message("strict", "x"), options);
        await using var member = await JoinAsync(options, "strict", "g", maxRetries: 0);
        Assert.Equal(0, member.Joined.MaxRetries);

        Assert.True(await member.NackAsync((await member.NextAsync()).MessageId, error: "no"));

        var queue = _server.App.Services.GetRequiredService<BackendDrivers>().Queue("memstore")!;
        Assert.Single(await queue.ListDeadLettersAsync(ns, "strict", null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task NamespaceQueueSettings_FillWhatAJoinLeavesOut_AndAChangeAppliesToTheNextJoin()
    {
        var (ns, options) = await NamespaceAsync("memstore");
        var record = (await _server.Store.GetNamespaceAsync(ns, CancellationToken.None))!;
        record = await _server.Store.UpdateNamespaceAsync(record with { Queue = new QueueDefaults(4, TimeSpan.FromSeconds(7), 0) },
            TestNamespaces.Audit("UpdateNamespace"), CancellationToken.None);

        await using (var first = await JoinAsync(options, "settings", "g"))
        {
            Assert.Equal((4, 7000L, 0), (first.Joined.MaxInFlight, first.Joined.VisibilityTimeoutMs, first.Joined.MaxRetries));
        }

        await using (var own = await JoinAsync(options, "settings", "g", maxInFlight: 9, maxRetries: 2))
        {
            Assert.Equal((9, 7000L, 2), (own.Joined.MaxInFlight, own.Joined.VisibilityTimeoutMs, own.Joined.MaxRetries));
        }

        await _server.Store.UpdateNamespaceAsync(record with { Queue = new QueueDefaults(null, TimeSpan.FromSeconds(3), null) },
            TestNamespaces.Audit("UpdateNamespace"), CancellationToken.None);
        await Timeouts.WaitUntilAsync(async () =>
        {
            await using var next = await JoinAsync(options, "settings", "g");
            return (next.Joined.MaxInFlight, next.Joined.VisibilityTimeoutMs, next.Joined.MaxRetries) == (16, 3000L, 5);
        }, "a member joining after the change gets the new settings");
    }

    [Fact]
    public async Task ConsumeStream_CountsInTheSession_AndEndsWithTheSession()
    {
        var (ns, options) = await NamespaceAsync("memstore", "counted-queue@example.com");
        await _server.Queue.PublishAsync(QueueMember.Message("q", "12345"), options);
        await using var member = await JoinAsync(options, "q", "g");
        Assert.True(await member.AckAsync((await member.NextAsync()).MessageId));
        var session = _server.App.Services.GetRequiredService<SessionRegistry>().Sessions.Single(s => s.Namespace == ns);
        Assert.Equal(1, session.OpenStreams);
        SessionRecord? stored = null;
        await Timeouts.WaitUntilAsync(async () =>
        {
            var page = await _server.Store.ListSessionsAsync(new PageRequest(10, null), ns, includeInactive: true, CancellationToken.None);
            stored = page.Items.Single();
            return stored.Requests == 3;
        }, "publish, join and ack are counted");
        Assert.Equal(5, stored!.BytesOut);

        session.Terminate("ops@example.com", "suspicious traffic");

        var ended = await member.EndAsync();
        Assert.Equal(StatusCode.PermissionDenied, ended!.StatusCode);
        Assert.Equal($"session {session.Id} terminated by ops@example.com: suspicious traffic", ended.Status.Detail);
        await Timeouts.WaitUntilAsync(() => Task.FromResult(session.OpenStreams == 0), "the stream is released");
    }

    [Fact]
    public async Task ClientThatFinishesSending_EndsTheStreamNormally()
    {
        var (_, options) = await NamespaceAsync("memstore");
        await using var member = await JoinAsync(options, "q", "g");
        await member.CompleteAsync();
        Assert.Null(await member.EndAsync());
    }

    [Theory]
    [InlineData(-1, 0, null, "max_in_flight must be between 1 and 10000 (0: the default), not -1")]
    [InlineData(10_001, 0, null, "max_in_flight must be between 1 and 10000 (0: the default), not 10001")]
    [InlineData(0, 50, null, "visibility_timeout_ms must be between 100 and 43200000 (0: the default), not 50")]
    [InlineData(0, 0, -1, "max_retries must be between 0 and 1000, not -1")]
    [InlineData(0, 0, 1001, "max_retries must be between 0 and 1000, not 1001")]
    public async Task JoinWithAnOptionOutOfRange_IsInvalidArgument_NamingTheField(int maxInFlight, long visibilityMs, int? maxRetries, string detail)
    {
        var (_, options) = await NamespaceAsync("memstore");
        var join = new Join { Queue = "q", Group = "g", MaxInFlight = maxInFlight, VisibilityTimeoutMs = visibilityMs };
        if (maxRetries is { } retries)
        {
            join.MaxRetries = retries;
        }

        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, () => QueueMember.JoinAsync(_server.Queue, options, join));
        Assert.Equal(detail, error.Status.Detail);
    }

    [Theory]
    [InlineData("", "g", "queue must not be empty")]
    [InlineData("q", "", "group must not be empty")]
    public async Task JoinWithoutQueueOrGroup_IsInvalidArgument(string queue, string group, string detail)
    {
        var (_, options) = await NamespaceAsync("memstore");
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, () => QueueMember.JoinAsync(_server.Queue, options, new Join { Queue = queue, Group = group }));
        Assert.Equal(detail, error.Status.Detail);
    }

    [Fact]
    public async Task AckBeforeJoin_IsInvalidArgument()
    {
        var (_, options) = await NamespaceAsync("memstore");
        using var call = _server.Queue.Consume(options);
        await call.RequestStream.WriteAsync(new ConsumeRequest { Ack = new Ack { MessageId = "1" } }).WaitAsync(Timeouts.Await);

        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, () => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("the first request on a Consume stream must be join", error.Status.Detail);
    }

    [Fact]
    public async Task SecondJoin_OrANegativeNackDelay_IsInvalidArgument()
    {
        var (_, options) = await NamespaceAsync("memstore");
        await using var twice = await JoinAsync(options, "q", "g");
        await twice.SendAsync(new ConsumeRequest { Join = new Join { Queue = "q", Group = "other" } });
        var error = await twice.EndAsync();
        Assert.Equal((StatusCode.InvalidArgument, "this stream already joined group 'g' of queue 'q'; send ack, nack or settle"),
            (error!.StatusCode, error.Status.Detail));

        await _server.Queue.PublishAsync(QueueMember.Message("q", "x"), options);
        await using var member = await JoinAsync(options, "q", "g");
        await member.SendAsync(new ConsumeRequest { Nack = new Nack { MessageId = (await member.NextAsync()).MessageId, DelayMs = -5 } });
        error = await member.EndAsync();
        Assert.Equal((StatusCode.InvalidArgument, "nack.delay_ms must be between 0 and 43200000, not -5"), (error!.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task PublishOutsideTheLimits_IsInvalidArgument_NamingTheField()
    {
        var (_, options) = await NamespaceAsync("memstore");
        var empty = await Rpc.FailsAsync(StatusCode.InvalidArgument, _server.Queue.PublishAsync(QueueMember.Message("", "x"), options));
        Assert.Equal("queue must not be empty", empty.Status.Detail);
        var big = await Rpc.FailsAsync(StatusCode.InvalidArgument,
            _server.Queue.PublishAsync(new QueuePublishRequest { Queue = "q", Payload = ByteString.CopyFrom(new byte[2048]) }, options));
        Assert.StartsWith("payload is 2048 bytes; the limit is 1024 bytes", big.Status.Detail, StringComparison.Ordinal);
        var key = await Rpc.FailsAsync(StatusCode.InvalidArgument, _server.Queue.PublishAsync(QueueMember.Message("q", "x", new string('k', 65)), options));
        Assert.StartsWith("idempotency_key is 65 bytes; the limit is 64 bytes", key.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishToAFullMemstoreQueue_IsResourceExhausted_NamingTheLimit()
    {
        await using var server = await ProxyServer.StartAsync(new Dictionary<string, string?> { ["backends:memstore:queue_memory_mb"] = "1" });
        var ns = await server.CreateNamespaceAsync(new Dictionary<string, string> { ["queue"] = "memstore" }, patterns: ["queue"]);
        var options = ProxyServer.Call(server.TokenFor(), ns);
        var publish = new QueuePublishRequest { Queue = "jobs", Payload = ByteString.CopyFrom(new byte[64 * 1024]) };
        RpcException? full = null;
        for (var i = 0; i < 100 && full is null; i++)
        {
            try
            {
                await server.Queue.PublishAsync(publish, options);
            }
            catch (RpcException e)
            {
                full = e;
            }
        }

        Assert.Equal(StatusCode.ResourceExhausted, full?.StatusCode);
        Assert.StartsWith("memstore queue 'jobs' is full: its instance holds 1 MB of queued messages and dead letters", full!.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAToken_PublishAndConsume_AreUnauthenticated()
    {
        var ns = await CreateNamespaceAsync("memstore");
        await Rpc.FailsAsync(StatusCode.Unauthenticated, _server.Queue.PublishAsync(QueueMember.Message("q", "x"), ProxyServer.Call(null, ns)));
        await Rpc.FailsAsync(StatusCode.Unauthenticated, _server.Queue.PublishBatchAsync(new QueuePublishBatchRequest(), ProxyServer.Call(null, ns)));
        using var stream = _server.Queue.PublishStream(ProxyServer.Call(null, ns));
        await Rpc.FailsAsync(StatusCode.Unauthenticated, () => stream.ResponseStream.MoveNext(CancellationToken.None));
        await Rpc.FailsAsync(StatusCode.Unauthenticated,
            () => QueueMember.JoinAsync(_server.Queue, ProxyServer.Call(null, ns), new Join { Queue = "q", Group = "g" }));
    }

    [Fact]
    public async Task NamespaceWithoutTheQueuePattern_IsUnimplemented()
    {
        var options = ProxyServer.Call(_server.TokenFor(), await _server.CreateNamespaceAsync(patterns: ["keyvalue", "pubsub"]));
        var publish = await Rpc.FailsAsync(StatusCode.Unimplemented, _server.Queue.PublishAsync(QueueMember.Message("q", "x"), options));
        Assert.Contains("does not offer queue", publish.Status.Detail, StringComparison.Ordinal);
        await Rpc.FailsAsync(StatusCode.Unimplemented, () => QueueMember.JoinAsync(_server.Queue, options, new Join { Queue = "q", Group = "g" }));
    }

    private async Task<string> CreateNamespaceAsync(string backend) =>
        await _server.CreateNamespaceAsync(new Dictionary<string, string> { ["queue"] = backend }, patterns: ["queue"]);

    private async Task<(string Namespace, CallOptions Options)> NamespaceAsync(string backend, string email = "dev@example.com")
    {
        var ns = await CreateNamespaceAsync(backend);
        return (ns, ProxyServer.Call(_server.TokenFor(email), ns));
    }

    private Task<QueueMember> JoinAsync(CallOptions options, string queue, string group, int maxInFlight = 0, long visibilityMs = 0, int? maxRetries = null)
    {
        var join = new Join { Queue = queue, Group = group, MaxInFlight = maxInFlight, VisibilityTimeoutMs = visibilityMs };
        if (maxRetries is { } retries)
        {
            join.MaxRetries = retries;
        }

        return QueueMember.JoinAsync(_server.Queue, options, join);
    }
}
