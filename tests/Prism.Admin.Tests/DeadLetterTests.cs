using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Admin.V1;
using Prism.Backends;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using Prism.Hosting.Settings;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Admin.Tests;

/// <summary>
/// A real Redis, an admin whose <c>redis</c> instance is that server, and a queue driver of its own
/// (another set of connections, as a proxy would have) that makes the dead letters.
/// </summary>
public sealed class DeadLetterFixture : IAsyncLifetime
{
    private readonly TempDirectory _home = new("prism-dlq-producer");

    public RedisServer Redis { get; } = new();

    public AdminServer Server { get; private set; } = null!;

    public BackendDrivers Producer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.StartAsync();
        Server = await AdminServer.StartAsync(new Dictionary<string, string?> { ["backends:redis:url"] = Redis.Configuration });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["backends:redis:url"] = Redis.Configuration }).Build();
        Producer = new BackendDrivers(new BackendCatalog(configuration, new PrismHome(_home.Path)), [], TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        await Producer.DisposeAsync();
        await Server.DisposeAsync();
        await Redis.DisposeAsync();
        _home.Dispose();
    }
}

public class DeadLetterTests(DeadLetterFixture fixture) : IClassFixture<DeadLetterFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private AdminServer Server => fixture.Server;

    private IQueue Queue => fixture.Producer.Queue("redis")!;

    private CallOptions As(string role, string? requestId = null) => AdminServer.Options(Server.TokenFor(role, $"dlq-{role}@example.com"), requestId);

    [Fact]
    public async Task DeadLetters_AreListedInPages_Inspected_Replayed_AndPurged()
    {
        var ns = await CreateNamespaceAsync(new Dictionary<string, string> { ["message_source"] = "redis" });
        var ids = await MakeDeadLettersAsync(ns, "orders", ["one", "two", "three"]);

        var first = await Server.Client.ListDeadLettersAsync(new ListDeadLettersRequest { Namespace = ns, Queue = "orders", PageSize = 2 }, As("operator"));
        var second = await Server.Client.ListDeadLettersAsync(
            new ListDeadLettersRequest { Namespace = ns, Queue = "orders", PageSize = 2, PageToken = first.NextPageToken }, As("operator"));

        Assert.Equal(2, first.DeadLetters.Count);
        Assert.NotEmpty(first.NextPageToken);
        Assert.Single(second.DeadLetters);
        Assert.Empty(second.NextPageToken);
        var all = first.DeadLetters.Concat(second.DeadLetters).ToList();
        Assert.Equal(ids, all.Select(d => d.MessageId));
        Assert.Equal(["one", "two", "three"], all.Select(d => d.Payload.ToStringUtf8()));
        var letter = all[0];
        Assert.Equal(("orders", "workers", 1, "bad payload one"), (letter.Queue, letter.Group, letter.Attempts, letter.Error));
        Assert.Equal("producer-subject", letter.PublisherSubject);
        Assert.Equal("0", letter.Metadata["index"]);
        Assert.True(letter.DeadAt.ToDateTimeOffset() >= letter.EnqueuedAt.ToDateTimeOffset());

        var got = (await Server.Client.GetDeadLetterAsync(new GetDeadLetterRequest { Namespace = ns, Queue = "orders", Id = letter.Id }, As("operator"))).DeadLetter;
        Assert.Equal(letter, got);

        var replayed = await Server.Client.ReplayDeadLetterAsync(new ReplayDeadLetterRequest { Namespace = ns, Queue = "orders", Id = letter.Id }, As("operator"));
        Assert.NotEmpty(replayed.MessageId);
        await using (var member = await Queue.ConsumeAsync(ns, "orders", "workers", "again", ConsumeOptions.Default, default).WaitAsync(Wait))
        {
            var message = await FirstAsync(member);
            Assert.Equal((replayed.MessageId, "one", 1), (message.MessageId, Encoding.UTF8.GetString(message.Payload.Span), message.Attempt));
            Assert.True(await member.AckAsync(message.MessageId, default).WaitAsync(Wait));
        }

        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            Server.Client.GetDeadLetterAsync(new GetDeadLetterRequest { Namespace = ns, Queue = "orders", Id = letter.Id }, As("operator")).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains($"dead letter '{letter.Id}' not found on queue 'orders'", missing.Status.Detail);

        var purged = await Server.Client.PurgeDeadLettersAsync(new PurgeDeadLettersRequest { Namespace = ns, Queue = "orders" }, As("admin"));
        Assert.Equal(2, purged.Purged);
        Assert.Empty((await Server.Client.ListDeadLettersAsync(new ListDeadLettersRequest { Namespace = ns, Queue = "orders" }, As("operator"))).DeadLetters);
    }

    [Fact]
    public async Task EveryCall_IsAudited_AndAViewerIsDenied_AndAudited()
    {
        var ns = await CreateNamespaceAsync(new Dictionary<string, string> { ["message_source"] = "redis" });
        await MakeDeadLettersAsync(ns, "audited", ["x"]);
        var letter = (await Server.Client.ListDeadLettersAsync(new ListDeadLettersRequest { Namespace = ns, Queue = "audited" }, As("operator"))).DeadLetters.Single();
        var replayRequest = "replay-" + ns;
        var deniedRequest = "denied-" + ns;

        var replayed = await Server.Client.ReplayDeadLetterAsync(new ReplayDeadLetterRequest { Namespace = ns, Queue = "audited", Id = letter.Id }, As("operator", replayRequest));
        var denied = await Assert.ThrowsAsync<RpcException>(() => Server.Client.PurgeDeadLettersAsync(
            new PurgeDeadLettersRequest { Namespace = ns, Queue = "audited" }, As("viewer", deniedRequest)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("lacks permission admin:operational required by PurgeDeadLetters", denied.Status.Detail);
        var entries = await ReadAuditAsync(ns);
        var replay = entries.Single(e => e.RequestId == replayRequest);
        Assert.Equal(("ReplayDeadLetter", "queue", "audited", "OK", "dlq-operator@example.com"), (replay.Operation, replay.ResourceType, replay.ResourceId, replay.StatusCode, replay.Actor));
        Assert.Equal((letter.Id, replayed.MessageId, "redis"), (replay.Metadata["dead_letter_id"], replay.Metadata["message_id"], replay.Metadata["backend"]));
        var deny = entries.Single(e => e.RequestId == deniedRequest);
        Assert.Equal(("PurgeDeadLetters", "queue", "audited", "PERMISSION_DENIED", false), (deny.Operation, deny.ResourceType, deny.ResourceId, deny.StatusCode, deny.Success));
        Assert.Contains(entries, e => e.Operation == "ListDeadLetters" && e.Success);
    }

    [Fact]
    public async Task UnknownNamespace_IsNotFound_AndANamespaceWithoutQueues_IsFailedPrecondition()
    {
        var plain = "kv-" + Guid.NewGuid().ToString("N")[..8];
        await Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = plain, Patterns = { "keyvalue" } } }, As("admin"));

        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            Server.Client.ListDeadLettersAsync(new ListDeadLettersRequest { Namespace = "no-such-ns", Queue = "q" }, As("operator")).ResponseAsync);
        var noQueues = await Assert.ThrowsAsync<RpcException>(() =>
            Server.Client.PurgeDeadLettersAsync(new PurgeDeadLettersRequest { Namespace = plain, Queue = "q" }, As("operator")).ResponseAsync);
        var noName = await Assert.ThrowsAsync<RpcException>(() =>
            Server.Client.ListDeadLettersAsync(new ListDeadLettersRequest { Namespace = plain }, As("operator")).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "namespace 'no-such-ns' not found"), (unknown.StatusCode, unknown.Status.Detail));
        Assert.Equal(StatusCode.FailedPrecondition, noQueues.StatusCode);
        Assert.Equal($"namespace '{plain}' does not offer the queue pattern (it offers: keyvalue)", noQueues.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, noName.StatusCode);
    }

    [Fact]
    public async Task AnUnboundQueueSlot_UsesTheAdminsOwnMemstore()
    {
        var ns = await CreateNamespaceAsync(new Dictionary<string, string>());

        var listed = await Server.Client.ListDeadLettersAsync(new ListDeadLettersRequest { Namespace = ns, Queue = "q" }, As("operator"));
        var purged = await Server.Client.PurgeDeadLettersAsync(new PurgeDeadLettersRequest { Namespace = ns, Queue = "q" }, As("operator"));

        Assert.Empty(listed.DeadLetters);
        Assert.Equal(0, purged.Purged);
    }

    [Fact]
    public async Task ABackendThatIsDown_IsUnavailable_NamingIt()
    {
        await using var down = await AdminServer.StartAsync();
        var ns = "down-" + Guid.NewGuid().ToString("N")[..8];
        await down.Client.CreateNamespaceAsync(new CreateNamespaceRequest
        {
            Namespace = new Namespace { Name = ns, Patterns = { "queue" }, Slots = { ["queue"] = new PatternSlots { Bindings = { ["message_source"] = "redis" } } } },
        }, AdminServer.Options(down.TokenFor("admin")));

        var error = await Assert.ThrowsAsync<RpcException>(() => down.Client.ListDeadLettersAsync(
            new ListDeadLettersRequest { Namespace = ns, Queue = "q" }, AdminServer.Options(down.TokenFor("operator"))).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("backend 'redis' unavailable: unreachable", error.Status.Detail);
    }

    private async Task<string> CreateNamespaceAsync(Dictionary<string, string> queueSlots)
    {
        var name = "dlq-" + Guid.NewGuid().ToString("N")[..8];
        var ns = new Namespace { Name = name, Patterns = { "queue" } };
        if (queueSlots.Count > 0)
        {
            ns.Slots["queue"] = new PatternSlots { Bindings = { queueSlots } };
        }

        await Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = ns }, As("admin"));
        return name;
    }

    /// <summary>Enqueues each payload, then a member of group "workers" with no retries rejects each one: every message becomes a dead letter.</summary>
    private async Task<List<string>> MakeDeadLettersAsync(string ns, string queue, string[] payloads)
    {
        var ids = new List<string>();
        var context = new MessageContext(PublisherSubject: "producer-subject", Namespace: ns);
        for (var i = 0; i < payloads.Length; i++)
        {
            ids.Add(await Queue.EnqueueAsync(ns, queue, Encoding.UTF8.GetBytes(payloads[i]), new Dictionary<string, string> { ["index"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                context, null, default).WaitAsync(Wait));
        }

        await using (var member = await Queue.ConsumeAsync(ns, queue, "workers", "w1", ConsumeOptions.Default with { MaxRetries = 0 }, default).WaitAsync(Wait))
        {
            using var cancel = new CancellationTokenSource(Wait);
            var seen = 0;
            await foreach (var message in member.ReadAllAsync(cancel.Token))
            {
                Assert.True(await member.NackAsync(message.MessageId, TimeSpan.Zero, "bad payload " + Encoding.UTF8.GetString(message.Payload.Span), default).WaitAsync(Wait));
                if (++seen == payloads.Length)
                {
                    break;
                }
            }
        }

        var deadline = DateTime.UtcNow + Wait;
        while ((await Queue.ListDeadLettersAsync(ns, queue, null, 100, default).WaitAsync(Wait)).Count < payloads.Length)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{payloads.Length} dead letters on {queue}");
            await Task.Delay(50);
        }

        return ids;
    }

    private static async Task<QueueMessage> FirstAsync(IQueueConsumer member)
    {
        using var cancel = new CancellationTokenSource(Wait);
        await foreach (var message in member.ReadAllAsync(cancel.Token))
        {
            return message;
        }

        throw new InvalidOperationException("the consumer ended without a message");
    }

    private async Task<List<AuditLogEntry>> ReadAuditAsync(string ns)
    {
        var entries = new List<AuditLogEntry>();
        using var call = Server.Client.GetAuditLog(new GetAuditLogRequest { Namespace = ns, Limit = 1000 }, As("admin"));
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Wait))
        {
            entries.Add(call.ResponseStream.Current);
        }

        return entries;
    }
}
