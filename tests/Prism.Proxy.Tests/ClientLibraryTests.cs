using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prism.Client;
using Prism.ControlStore;
using Prism.Proxy.Sessions;
using Prism.Proxy.Tests.Support;
using Prism.Testing;

namespace Prism.Proxy.Tests;

/// <summary>Prism.Client against a real proxy: the typed clients, token sources, retries and spans.</summary>
public class ClientLibraryTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private ProxyServer Server => fixture.Server;

    [Fact]
    public async Task KeyValueClient_SetsGetsExpiresAndBatches()
    {
        var ns = await Server.CreateNamespaceAsync();
        using var connection = Connect(ns);
        var kv = new PrismKeyValueClient(connection);
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await kv.SetAsync("k", bytes);
        Assert.Equal(bytes, await kv.GetAsync("k"));
        Assert.True(await kv.ExistsAsync("k"));
        Assert.True((await kv.GetTtlAsync("k")).NoExpiry);
        Assert.True(await kv.ExpireAsync("k", TimeSpan.FromMinutes(5)));
        Assert.InRange((await kv.GetTtlAsync("k")).Seconds, 1, 300);
        Assert.True(await kv.PersistAsync("k"));
        await kv.DeleteAsync("k");
        Assert.Null(await kv.GetAsync("k"));
        Assert.True((await kv.GetTtlAsync("k")).Missing);
        Assert.False(await kv.ExpireAsync("k", TimeSpan.FromMinutes(1)));

        await kv.SetManyAsync([KeyValuePair.Create("a", "1"u8.ToArray()), KeyValuePair.Create("b", "2"u8.ToArray())]);
        var values = await kv.GetManyAsync(["a", "missing", "b"]);
        Assert.Equal(["1", null, "2"], values.Select(v => v is null ? null : Encoding.UTF8.GetString(v)));
        await kv.DeleteManyAsync(["a", "b"]);
        Assert.False(await kv.ExistsAsync("a"));
    }

    [Fact]
    public async Task PubSubClient_DeliversWhatItPublishes_ToALiveSubscription()
    {
        var ns = await Server.CreateNamespaceAsync();
        using var connection = Connect(ns);
        var pubsub = new PrismPubSubClient(connection);
        using var subscription = await pubsub.SubscribeAsync("events");

        var id = await pubsub.PublishAsync("events", "hi"u8.ToArray(), new Dictionary<string, string> { ["kind"] = "greeting" });

        using var cancel = new CancellationTokenSource(Timeouts.Await);
        await foreach (var message in subscription.ReadAllAsync(cancel.Token))
        {
            Assert.Equal((id, "hi", "greeting"), (message.MessageId, message.Payload.ToStringUtf8(), message.Metadata["kind"]));
            break;
        }
    }

    [Fact]
    public async Task QueueClient_PublishesOncePerIdempotencyKey_AndAMemberAcks()
    {
        var ns = await Server.CreateNamespaceAsync(patterns: ["queue"]);
        using var connection = Connect(ns);
        var queue = new PrismQueueClient(connection);
        var first = await queue.PublishAsync("jobs", "job-1"u8.ToArray(), idempotencyKey: "job-1");
        var repeated = await queue.PublishAsync("jobs", "job-1"u8.ToArray(), idempotencyKey: "job-1");
        Assert.Equal(first, repeated);

        await using var member = await queue.ConsumeAsync("jobs", "workers", new QueueConsumerOptions { ConsumerId = "w-1", MaxInFlight = 4 });
        Assert.Equal(("w-1", 4), (member.Joined.ConsumerId, member.Joined.MaxInFlight));
        using var cancel = new CancellationTokenSource(Timeouts.Await);
        await foreach (var message in member.ReadAllAsync(cancel.Token))
        {
            Assert.Equal((first, "job-1", 1), (message.MessageId, message.Payload.ToStringUtf8(), message.Attempt));
            Assert.True(await member.AckAsync(message.MessageId, cancel.Token));
            Assert.False(await member.AckAsync(message.MessageId, cancel.Token));
            break;
        }
    }

    [Fact]
    public async Task ConcurrentQueuePublishes_ShareAStream_EachKeepingItsOwnId_Trace_AndError()
    {
        using var callers = new ActivitySource("Prism.Proxy.Tests.Publishers");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PrismClientTelemetry.SourceName || source == callers,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var ns = await Server.CreateNamespaceAsync(patterns: ["queue"]);
        var firstCall = new GatedHandler();
        // The fixture's proxy takes batches of 10 at most (PRISM_PROXY_MAX_BATCH_ITEMS).
        using var connection = PublishingConnection(ns, firstCall, batchSize: 10);
        var queue = new PrismQueueClient(connection);
        var traces = new ActivityTraceId[40];

        Task<string> Publish(int i, string queueName = "jobs")
        {
            using var caller = callers.StartActivity("publisher-" + i);
            traces[i] = caller!.TraceId;
            return queue.PublishAsync(queueName, Encoding.UTF8.GetBytes($"{i}"));
        }

        var alone = Publish(0);
        await firstCall.Entered.Task.WaitAsync(Timeouts.Await);
        var waiting = Enumerable.Range(1, 38).Select(i => Publish(i)).Append(Publish(39, queueName: "")).ToList();
        firstCall.Release.SetResult();

        var ids = await Task.WhenAll(waiting.Take(38).Prepend(alone));
        var refused = await Assert.ThrowsAsync<RpcException>(() => waiting[38]);
        Assert.Equal((StatusCode.InvalidArgument, "queue must not be empty"), (refused.StatusCode, refused.Status.Detail));
        Assert.Equal(39, ids.Distinct().Count());
        // Four batches of ten at most, all on one stream.
        Assert.Equal(["Publish", "PublishStream"], firstCall.Methods);

        await using var member = await queue.ConsumeAsync("jobs", "workers", new QueueConsumerOptions { MaxInFlight = 64 });
        var received = new Dictionary<string, (int Publisher, string TraceParent)>();
        using var cancel = new CancellationTokenSource(Timeouts.Await);
        await foreach (var message in member.ReadAllAsync(cancel.Token))
        {
            received[message.MessageId] = (int.Parse(message.Payload.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture), message.Metadata["traceparent"]);
            if (received.Count == 39)
            {
                break;
            }
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), received.Keys.Order(StringComparer.Ordinal));
        Assert.All(received.Values, r => Assert.StartsWith($"00-{traces[r.Publisher]}-", r.TraceParent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithCallsToSpare_AFullBatchGoesOnAnotherCall_AndAPartialOneWaitsForTheCallUnderWay()
    {
        using var held = await HoldTheFirstPublishAsync(batchSize: 10, callsInFlight: 4);
        var (queue, firstCall, alone) = (held.Queue, held.FirstCall, held.Alone);
        var full = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => queue.PublishAsync("jobs", Encoding.UTF8.GetBytes($"{i}"))))
            .WaitAsync(Timeouts.Await);
        Assert.False(alone.IsCompleted);

        var partial = Enumerable.Range(11, 3).Select(i => queue.PublishAsync("jobs", Encoding.UTF8.GetBytes($"{i}"))).ToList();
        firstCall.Release.SetResult();
        var rest = await Task.WhenAll(partial.Prepend(alone)).WaitAsync(Timeouts.Await);

        Assert.Equal(14, full.Concat(rest).Distinct().Count());
        // Three calls were free for the partial batch, yet it went on the stream after the held call: no publish of its own.
        Assert.Equal(["Publish", "PublishStream"], firstCall.Methods);
    }

    [Fact]
    public async Task ABatchTheProxyRefusesWhole_IsSentOneByOne()
    {
        using var held = await HoldTheFirstPublishAsync(batchSize: 128);
        var (queue, firstCall, alone) = (held.Queue, held.FirstCall, held.Alone);
        var waiting = Enumerable.Range(1, 20).Select(i => queue.PublishAsync("jobs", Encoding.UTF8.GetBytes($"{i}"))).ToList();
        firstCall.Release.SetResult();
        var ids = await Task.WhenAll(waiting.Prepend(alone));

        Assert.Equal(21, ids.Distinct().Count());
        // The stream ends with INVALID_ARGUMENT; the batch sent again as a call is refused the same way, then goes one by one.
        Assert.Equal(["Publish", "PublishStream", "PublishBatch", .. Enumerable.Repeat("Publish", 20)], firstCall.Methods);
    }

    [Fact]
    public async Task ACallerWhoseContinuationBlocks_OnAnotherPublish_OrOnTheNextCallerOfItsBatch_StallsNothing()
    {
        using var held = await HoldTheFirstPublishAsync(batchSize: 10);
        var (queue, firstCall, alone) = (held.Queue, held.FirstCall, held.Alone);
        // The two go in one batch, whose callers are answered in turn on one thread. The first one's continuation blocks that
        // thread until a publish that needs the only call slot is stored, and until the second one has its answer.
        Task<string>? batchMate = null;
        var blocking = queue.PublishAsync("jobs", "1"u8.ToArray()).ContinueWith(
            first => (first.Result, queue.PublishAsync("jobs", "3"u8.ToArray()).GetAwaiter().GetResult(), batchMate!.GetAwaiter().GetResult()),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        batchMate = queue.PublishAsync("jobs", "2"u8.ToArray());
        firstCall.Release.SetResult();

        var (first, third, second) = await blocking.WaitAsync(Timeouts.Await);
        Assert.Equal(4, new[] { await alone, first, second, third }.Distinct().Count());
        Assert.Equal(["Publish", "PublishStream"], firstCall.Methods);
    }

    [Fact]
    public async Task APublishStream_IsClosedOnceIdle_SoTheSessionHoldsNoStream()
    {
        using var held = await HoldTheFirstPublishAsync(batchSize: 10);
        var (ns, queue, firstCall, alone) = (held.Namespace, held.Queue, held.FirstCall, held.Alone);
        var batched = queue.PublishAsync("jobs", "1"u8.ToArray());
        firstCall.Release.SetResult();
        await Task.WhenAll(alone, batched).WaitAsync(Timeouts.Await);

        var session = Server.App.Services.GetRequiredService<SessionRegistry>().Sessions.Single(s => s.Namespace == ns);
        Assert.Equal(1, session.OpenStreams);
        await Timeouts.WaitUntilAsync(() => Task.FromResult(session.OpenStreams == 0), "the idle publish stream is closed");
        Assert.Equal(["Publish", "PublishStream"], firstCall.Methods);
    }

    [Fact]
    public async Task Unavailable_IsRetried_UpToMaxAttempts_AndACallSucceedsOnceTheProxyIsBack()
    {
        await using var server = await ProxyServer.StartAsync();
        var ns = await server.CreateNamespaceAsync();
        await server.Store.SetMaintenanceAsync(new MaintenanceState(true, "upgrading", "ops", DateTimeOffset.UtcNow),
            TestNamespaces.Audit("SetMaintenanceMode"), CancellationToken.None).WaitAsync(Timeouts.Await);
        await Timeouts.WaitUntilAsync(async () =>
        {
            try
            {
                await server.KeyValue.GetAsync(new Interfaces.KeyValue.GetRequest { Key = "k" }, ProxyServer.Call(server.TokenFor(), ns));
                return false;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return true;
            }
        }, "the proxy is in maintenance");

        var bounded = new CountingHandler();
        using (var connection = Connect(server, ns, bounded, maxAttempts: 3))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => new PrismKeyValueClient(connection).GetAsync("k"));
            Assert.Equal((StatusCode.Unavailable, "upgrading"), (error.StatusCode, error.Status.Detail));
            Assert.Equal(3, bounded.Count);
        }

        var patient = new CountingHandler();
        using (var connection = Connect(server, ns, patient, maxAttempts: 1000))
        {
            var call = new PrismKeyValueClient(connection).ExistsAsync("k");
            await Timeouts.WaitUntilAsync(() => Task.FromResult(patient.Count >= 2), "the client retries");
            await server.Store.SetMaintenanceAsync(MaintenanceState.Off, TestNamespaces.Audit("SetMaintenanceMode"), CancellationToken.None).WaitAsync(Timeouts.Await);
            // Retried at least twice through the maintenance window (the wait above), then answered once it ended.
            Assert.False(await call.WaitAsync(Timeouts.Await));
        }
    }

    [Fact]
    public async Task InvalidArgument_IsNotRetried()
    {
        var ns = await Server.CreateNamespaceAsync();
        var attempts = new CountingHandler();
        using var connection = Connect(ns, attempts);

        var error = await Assert.ThrowsAsync<RpcException>(() => new PrismKeyValueClient(connection).SetAsync("", "v"u8.ToArray()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task UnknownNamespace_IsNotFound_AndNotRetried()
    {
        var attempts = new CountingHandler();
        using var connection = Connect("no-such-namespace", attempts);

        var error = await Assert.ThrowsAsync<RpcException>(() => new PrismKeyValueClient(connection).GetAsync("k"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task TheClientSpan_IsTheParentOfTheProxysSpan()
    {
        var recorded = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PrismClientTelemetry.SourceName or ProxyTelemetry.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var ns = await Server.CreateNamespaceAsync();
        using var connection = Connect(ns);

        await new PrismKeyValueClient(connection).SetAsync("traced", "v"u8.ToArray());

        var client = Assert.Single(recorded, a => a.Source.Name == PrismClientTelemetry.SourceName && (string?)a.GetTagItem("prism.namespace") == ns);
        Assert.Equal(ActivityKind.Client, client.Kind);
        Assert.Equal("prism.interfaces.keyvalue.KeyValueBasicInterface/Set", client.OperationName);
        var server = Assert.Single(recorded, a => a.Kind == ActivityKind.Server && a.ParentSpanId == client.SpanId);
        Assert.Equal(client.TraceId, server.TraceId);
        var backendCall = Assert.Single(recorded, a => a.OperationName == "keyvalue.set" && a.TraceId == client.TraceId);
        Assert.Equal(server.SpanId, backendCall.ParentSpanId);
    }

    [Fact]
    public async Task AddPrismClient_FromConfiguration_WithClientCredentials_AndWithATokenFile()
    {
        var ns = await Server.CreateNamespaceAsync();
        Server.Issuer.RegisterClient("prism-automation", "orders-secret");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Prism:Endpoint"] = Server.App.BaseAddress.ToString(),
            ["Prism:Namespace"] = ns,
            ["Prism:Issuer"] = Server.Issuer.Issuer,
            ["Prism:ClientId"] = "prism-automation",
            ["Prism:ClientSecret"] = "orders-secret",
            ["Prism:CallTimeout"] = "00:00:10",
        }).Build();
        await using (var services = new ServiceCollection().AddPrismClient(configuration.GetSection("Prism")).BuildServiceProvider())
        {
            var kv = services.GetRequiredService<PrismKeyValueClient>();
            await kv.SetAsync("from-di", "yes"u8.ToArray());
            Assert.Equal("yes"u8.ToArray(), await kv.GetAsync("from-di"));
        }

        using var home = new TempDirectory("prism-client-token");
        var tokenFile = Path.Combine(home.Path, "token");
        await File.WriteAllTextAsync(tokenFile, Server.TokenFor() + "\n");
        await using (var services = new ServiceCollection().AddPrismClient(options =>
        {
            options.Endpoint = Server.App.BaseAddress;
            options.Namespace = ns;
            options.TokenFile = tokenFile;
        }).BuildServiceProvider())
        {
            Assert.Equal("yes"u8.ToArray(), await services.GetRequiredService<PrismKeyValueClient>().GetAsync("from-di"));
        }
    }

    [Fact]
    public async Task ClientCredentials_ThatTheIssuerRefuses_FailNamingTheClient()
    {
        using var connection = new PrismConnection(new PrismClientOptions
        {
            Endpoint = Server.App.BaseAddress,
            Namespace = "any",
            Issuer = new Uri(Server.Issuer.Issuer),
            ClientId = "nobody",
            ClientSecret = "wrong",
        });

        var error = await Assert.ThrowsAsync<PrismClientException>(() => new PrismKeyValueClient(connection).GetAsync("k"));

        Assert.Contains("client credentials login as nobody failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    private PrismConnection Connect(string ns, CountingHandler? handler = null) => Connect(Server, ns, handler);

    /// <summary>A queue client of a new namespace whose first publish (<c>Alone</c>) is under way and held until <c>FirstCall</c> is released.</summary>
    private async Task<HeldPublish> HoldTheFirstPublishAsync(int batchSize, int callsInFlight = 1)
    {
        var ns = await Server.CreateNamespaceAsync(patterns: ["queue"]);
        var firstCall = new GatedHandler();
        var connection = PublishingConnection(ns, firstCall, batchSize, callsInFlight);
        var queue = new PrismQueueClient(connection);
        var alone = queue.PublishAsync("jobs", "0"u8.ToArray());
        await firstCall.Entered.Task.WaitAsync(Timeouts.Await);
        return new HeldPublish(ns, connection, queue, firstCall, alone);
    }

    private sealed record HeldPublish(string Namespace, PrismConnection Connection, PrismQueueClient Queue, GatedHandler FirstCall, Task<string> Alone)
        : IDisposable
    {
        public void Dispose() => Connection.Dispose();
    }

    /// <summary>By default one publish call at a time, so publishes made while it is held wait and go together.</summary>
    private PrismConnection PublishingConnection(string ns, GatedHandler handler, int batchSize, int callsInFlight = 1) => new(new PrismClientOptions
    {
        Endpoint = Server.App.BaseAddress,
        Namespace = ns,
        Token = Server.TokenFor(),
        PublishCallsInFlight = callsInFlight,
        PublishBatchSize = batchSize,
        CreateHttpHandler = () => handler,
    });

    private static PrismConnection Connect(ProxyServer server, string ns, CountingHandler? handler = null, int maxAttempts = 4) => new(new PrismClientOptions
    {
        Endpoint = server.App.BaseAddress,
        Namespace = ns,
        Token = server.TokenFor(),
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
        CreateHttpHandler = handler is null ? null : () => handler,
    });

    /// <summary>Counts the HTTP requests (gRPC call attempts) that go out.</summary>
    /// <summary>Holds the first request until <see cref="Release"/>; records every request's method.</summary>
    private sealed class GatedHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly ConcurrentQueue<string> _methods = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Methods => [.. _methods];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _methods.Enqueue(request.RequestUri!.Segments[^1]);
            if (Entered.TrySetResult())
            {
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
