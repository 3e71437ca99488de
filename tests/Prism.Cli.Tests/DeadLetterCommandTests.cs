using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Backends;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using Prism.Hosting.Settings;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Cli.Tests;

/// <summary>
/// <c>prismctl queue dlq</c> against the real admin, with the namespace's queue slot bound (through
/// <c>prismctl backend create</c> and <c>namespace create --slot</c>) to a redis-server this test starts.
/// The dead letters are made by a queue driver of the test's own, as a proxy's consumers would make them.
/// </summary>
[Collection(PrismServersCollection.Name)]
public sealed class DeadLetterCommandTests(PrismServers servers) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly string LongError = "handler failed: " + new string('x', 100);
    private readonly TempDirectory _home = new("prismctl-dlq-producer");
    private RedisServer _redis = null!;
    private BackendDrivers _producer = null!;

    private IQueue Queue => _producer.Queue("redis")!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["backends:redis:url"] = _redis.Configuration }).Build();
        _producer = new BackendDrivers(new BackendCatalog(configuration, new PrismHome(_home.Path)), [], TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        await _producer.DisposeAsync();
        await _redis.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task DlqList_Get_Replay_Purge_ThroughPrismctl()
    {
        using var cli = new Prismctl(servers);
        var ns = await BoundNamespaceAsync(cli);
        await MakeDeadLettersAsync(ns, "orders", [Encoding.UTF8.GetBytes("hello"), [0xff, 0x00, 0xfe]], ["short error", LongError]);

        var list = await cli.RunAsync("queue", "dlq", "list", "orders", "-n", ns);
        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ID\s+GROUP\s+MESSAGE\s+ATTEMPTS\s+ERROR\s+DEAD AT$", lines[0]);
        Assert.Matches(@"^\S+\s+workers\s+\S+\s+1\s+short error\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lines[1]);
        Assert.Contains("handler failed: xxx", lines[2], StringComparison.Ordinal);
        Assert.Contains("…", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(LongError, list.StandardOutput, StringComparison.Ordinal);

        var json = await cli.RunAsync("queue", "dlq", "list", "orders", "-n", ns, "-o", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var letters = JsonNode.Parse(json.StandardOutput)!["dead_letters"]!.AsArray();
        Assert.Equal(2, letters.Count);
        Assert.Equal(Convert.ToBase64String("hello"u8), (string?)letters[0]!["payload"]);
        Assert.Equal(LongError, (string?)letters[1]!["error"]);
        Assert.Equal("cli-producer", (string?)letters[0]!["publisher_subject"]);
        var textId = (string)letters[0]!["id"]!;
        var binaryId = (string)letters[1]!["id"]!;

        var text = await cli.RunAsync("queue", "dlq", "get", "orders", textId, "-n", ns);
        var binary = await cli.RunAsync("queue", "dlq", "get", "orders", binaryId, "-n", ns);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"(?m)^payload\s+hello$", text.StandardOutput);
        Assert.Matches(@"(?m)^publisher\s+cli-producer$", text.StandardOutput);
        Assert.Matches(@"(?m)^metadata source\s+cli-test$", text.StandardOutput);
        Assert.Matches($@"(?m)^payload \(base64\)\s+{Convert.ToBase64String([0xff, 0x00, 0xfe]).Replace("+", @"\+", StringComparison.Ordinal)}$", binary.StandardOutput);
        Assert.Contains(LongError, binary.StandardOutput, StringComparison.Ordinal);

        var replay = await cli.RunAsync("queue", "dlq", "replay", "orders", textId, "-n", ns);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Matches($@"^Replayed dead letter {textId} on queue orders as message \S+\.$", replay.StandardOutput.Trim());
        var again = await cli.RunAsync("queue", "dlq", "get", "orders", textId, "-n", ns);
        Assert.Equal(ExitCodes.NotFound, again.ExitCode);

        var unconfirmed = await cli.RunAsync("queue", "dlq", "purge", "orders", "-n", ns);
        Assert.Equal(ExitCodes.Usage, unconfirmed.ExitCode);
        Assert.Contains("pass --yes", unconfirmed.StandardError, StringComparison.Ordinal);
        var purge = await cli.RunAsync("queue", "dlq", "purge", "orders", "-n", ns, "--yes");
        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.Equal("Purged 1 dead letter(s) of queue orders.", purge.StandardOutput.Trim());
        var empty = await cli.RunAsync("queue", "dlq", "list", "orders", "-n", ns, "-o", "json");
        Assert.Empty(JsonNode.Parse(empty.StandardOutput)!["dead_letters"]!.AsArray());
    }

    [Fact]
    public async Task Dlq_Errors_HaveTheirExitCodes()
    {
        using var cli = new Prismctl(servers);
        var plain = "dlq-kv-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await cli.RunAsync("namespace", "create", plain, "--pattern", "keyvalue")).ExitCode);

        var noNamespace = await cli.RunAsync("queue", "dlq", "list", "orders");
        var unknown = await cli.RunAsync("queue", "dlq", "list", "orders", "-n", "no-such-namespace");
        var noQueues = await cli.RunAsync("queue", "dlq", "purge", "orders", "-n", plain, "--yes");

        Assert.Equal(ExitCodes.Usage, noNamespace.ExitCode);
        Assert.Contains("--namespace", noNamespace.StandardError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("namespace 'no-such-namespace' not found", unknown.StandardError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Conflict, noQueues.ExitCode);
        Assert.Contains("does not offer the queue pattern", noQueues.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dlq_WithTheBoundBackendDown_IsUnavailable_NamingIt()
    {
        using var cli = new Prismctl(servers);
        await using var doomed = await RedisServer.StartNewAsync();
        var backend = "dlq-down-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await cli.RunAsync("backend", "create", backend, "--type", "redis", "--secret", "url=redis://" + doomed.Configuration)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("namespace", "create", backend, "--slot", $"queue.message_source={backend}")).ExitCode);
        await doomed.StopAsync().WaitAsync(Wait);

        var down = await cli.RunAsync("queue", "dlq", "list", "orders", "-n", backend);

        Assert.Equal(ExitCodes.Unavailable, down.ExitCode);
        Assert.Contains($"unavailable: backend '{backend}' unavailable: unreachable", down.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(doomed.Configuration, down.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dlq_AsAViewer_IsPermissionDenied()
    {
        using var cli = new Prismctl(servers, localDev: false);
        await cli.LoginAsync("test@local.prism");

        var denied = await cli.RunAsync("queue", "dlq", "list", "orders", "-n", "anything");

        Assert.Equal(ExitCodes.PermissionDenied, denied.ExitCode);
        Assert.Contains("lacks permission admin:operational required by ListDeadLetters", denied.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A backend instance on this test's redis-server and a namespace whose queue slot binds it, both made with prismctl.</summary>
    private async Task<string> BoundNamespaceAsync(Prismctl cli)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var backend = "dlq-redis-" + suffix;
        var ns = "dlq-" + suffix;
        var created = await cli.RunAsync("backend", "create", backend, "--type", "redis", "--secret", "url=redis://" + _redis.Configuration);
        Assert.True(created.ExitCode == 0, created.ToString());
        var bound = await cli.RunAsync("namespace", "create", ns, "--slot", $"queue.message_source={backend}");
        Assert.True(bound.ExitCode == 0, bound.ToString());
        return ns;
    }

    /// <summary>Enqueues each payload; a member of group "workers" without retries rejects message i with errors[i].</summary>
    private async Task MakeDeadLettersAsync(string ns, string queue, byte[][] payloads, string[] errors)
    {
        var context = new MessageContext(PublisherSubject: "cli-producer", Namespace: ns);
        var errorOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < payloads.Length; i++)
        {
            var id = await Queue.EnqueueAsync(ns, queue, payloads[i], new Dictionary<string, string> { ["source"] = "cli-test" }, context, null, default).WaitAsync(Wait);
            errorOf[id] = errors[i];
        }

        await using (var member = await Queue.ConsumeAsync(ns, queue, "workers", "w1", ConsumeOptions.Default with { MaxRetries = 0 }, default).WaitAsync(Wait))
        {
            using var cancel = new CancellationTokenSource(Wait);
            var seen = 0;
            await foreach (var message in member.ReadAllAsync(cancel.Token))
            {
                Assert.True(await member.NackAsync(message.MessageId, TimeSpan.Zero, errorOf[message.MessageId], default).WaitAsync(Wait));
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
    }
}
