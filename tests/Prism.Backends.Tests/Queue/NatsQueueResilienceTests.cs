using System.Diagnostics;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Prism.Backends.Drivers.Nats;
using Prism.Backends.Queue;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.Queue;

/// <summary>
/// A JetStream group member through a server that goes away or stalls, and deliveries lost on the way: the member
/// keeps its stream and its held messages through a short outage, ends it past the outage window, and a message
/// whose last allowed delivery was lost becomes a dead letter instead of staying in the stream forever.
/// </summary>
public sealed class NatsQueueResilienceTests
{
    private const string MessagesStream = "prism-queues";

    [Fact]
    public async Task ServerRestarted_WhileAMemberConsumes_TheMemberStays_AndEveryMessageIsDeliveredAndAcked()
    {
        await using var nats = await NatsServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Url)));
        var queue = drivers.Registry.Queue("nats")!;
        await EnqueueAsync(queue, "before-1");
        await EnqueueAsync(queue, "before-2");
        await using var member = new Member(await queue.ConsumeAsync("ns", "q", "g", "m", ConsumeOptions.Default, default).WaitAsync(Timeouts.Await));
        await member.AckAsync(await member.NextAsync());
        var held = await member.NextAsync();
        Assert.Equal(("before-2", 1), (Text(held), held.Attempt));
        var next = member.StartNext();

        await nats.StopAsync();
        // A read (a publish refused as unavailable can still be stored, sent again on reconnecting).
        await Timeouts.EventuallyAsync(async () => await Record.ExceptionAsync(() => queue.ListDeadLettersAsync("ns", "q", null, 1, default)) is BackendUnavailableException,
            "the driver sees nats unavailable");
        // Several failed fetches (their pause doubles from the poll interval up to 2 s).
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(next.IsCompleted, $"the member's stream ended while nats was down: {next.Exception?.InnerException?.Message}");

        await nats.StartAsync().WaitAsync(Timeouts.Await);
        await Timeouts.EventuallySucceedsAsync(() => EnqueueAsync(queue, "after"), "nats is used again");

        await member.AckAsync(held);
        Assert.True(await next.WaitAsync(Timeouts.Await), "the consumer ended");
        Assert.Equal(("after", 1), (Text(member.Current), member.Current.Attempt));
        await member.AckAsync(member.Current);
        Assert.Empty(await queue.ListDeadLettersAsync("ns", "q", null, 10, default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task ServerStalled_PastTheFetchTimeout_TheMemberStays_AndGetsWhatWasDeliveredIntoAbandonedFetches()
    {
        await using var nats = await NatsServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Url)));
        var queue = drivers.Registry.Queue("nats")!;
        var options = ConsumeOptions.Default with { VisibilityTimeout = TimeSpan.FromSeconds(2) };
        await using var member = new Member(await queue.ConsumeAsync("ns", "q", "g", "m", options, default).WaitAsync(Timeouts.Await));
        await EnqueueAsync(queue, "before");
        await member.AckAsync(await member.NextAsync());
        var next = member.StartNext();

        Signal(nats, "STOP");
        try
        {
            // Longer than a fetch waits for its answer (5 s, then 5 s of grace): the member gives up on fetches the
            // server answers once it runs again, so what those answers carry is lost until the visibility timeout.
            await Task.Delay(TimeSpan.FromSeconds(12));
            Assert.False(next.IsCompleted, $"the member's stream ended while nats was stalled: {next.Exception?.InnerException?.Message}");
        }
        finally
        {
            Signal(nats, "CONT");
        }

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await EnqueueAsync(queue, $"after-{i}"));
        }

        var received = new List<string>();
        Assert.True(await next.WaitAsync(Timeouts.Await), "the consumer ended");
        received.Add(member.Current.MessageId);
        await member.AckAsync(member.Current);
        while (received.Count < ids.Count)
        {
            var message = await member.NextAsync();
            received.Add(message.MessageId);
            await member.AckAsync(message);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        Assert.Empty(await queue.ListDeadLettersAsync("ns", "q", null, 10, default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task AnAckTheServerDoesNotAnswer_FailsAsATimeout_AndGivesUpTheSlot_SoTheMemberFetchesAgain()
    {
        await using var nats = await NatsServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Url)));
        var queue = drivers.Registry.Queue("nats")!;
        await EnqueueAsync(queue, "held");
        var options = ConsumeOptions.Default with { MaxInFlight = 1, VisibilityTimeout = TimeSpan.FromSeconds(1) };
        await using var member = new Member(await queue.ConsumeAsync("ns", "q", "g", "m", options, default).WaitAsync(Timeouts.Await));
        var held = await member.NextAsync();

        Signal(nats, "STOP");
        BackendUnavailableException error;
        try
        {
            error = await Assert.ThrowsAsync<BackendUnavailableException>(() => member.Consumer.AckAsync(held.MessageId, default).WaitAsync(Timeouts.Await));
        }
        finally
        {
            Signal(nats, "CONT");
        }

        // The server may still apply the ack it read late; either way the member's only slot was given up with the
        // failed ack, so it fetches again: the next message, or the held one given out again.
        var next = await EnqueueAsync(queue, "next");
        var fetched = await member.NextAsync();
        Assert.Equal(("nats", BackendFailureCodes.Timeout), (error.BackendName, error.Code));
        Assert.Contains(fetched.MessageId, new[] { held.MessageId, next });
    }

    [Fact]
    public async Task ServerDown_PastTheOutageWindow_EndsTheMemberWithNatsUnavailable()
    {
        await using var nats = await NatsServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var window = TimeSpan.FromSeconds(2);
        await using var queue = new NatsQueue(connection, TimeProvider.System, BackendDriverOptions.Default with { QueueOutageWindow = window });
        await using var member = new Member(await queue.ConsumeAsync("ns", "q", "g", "m", ConsumeOptions.Default, default).WaitAsync(Timeouts.Await));
        var next = member.StartNext();

        var down = Stopwatch.StartNew();
        await nats.StopAsync();

        var lost = await Assert.ThrowsAsync<BackendUnavailableException>(() => next.WaitAsync(Timeouts.Await));
        Assert.Equal("nats", lost.BackendName);
        Assert.True(down.Elapsed >= window, $"ended {down.Elapsed} after nats went away, within the {window} window");
    }

    [Fact]
    public async Task LostFinalDelivery_BecomesADeadLetter_AfterTheVisibilityTimeout()
    {
        await using var nats = await NatsServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Url)));
        var queue = drivers.Registry.Queue("nats")!;
        var options = ConsumeOptions.Default with { VisibilityTimeout = TimeSpan.FromMilliseconds(500), MaxRetries = 0 };
        await (await queue.ConsumeAsync("ns", "q", "g", "m", options, default).WaitAsync(Timeouts.Await)).DisposeAsync();
        var id = await EnqueueAsync(queue, "lost");
        await using var raw = new NatsConnection(new NatsOpts { Url = nats.Url });
        var group = await SingleConsumerAsync(new NatsJSContext(raw));

        // The only allowed delivery, then the one more the driver used to rely on seeing, both taken by fetches nobody
        // acknowledges: what a fetch its member gave up on, or a proxy killed in the middle of one, does.
        await LoseDeliveryAsync(group, 1);
        await LoseDeliveryAsync(group, 2);
        await using var member = new Member(await queue.ConsumeAsync("ns", "q", "g", "m", options, default).WaitAsync(Timeouts.Await));

        DeadLetter? dead = null;
        await Timeouts.EventuallyAsync(async () => (dead = (await queue.ListDeadLettersAsync("ns", "q", null, 10, default)).SingleOrDefault()) is not null,
            "the message is a dead letter");
        Assert.Equal((id, "lost", 2, DeadLetter.VisibilityTimeoutError), (dead!.MessageId, Text(dead.Payload), dead.Attempts, dead.Error));
        Assert.False(member.StartNext().IsCompleted);
    }

    [Fact]
    public async Task GroupConsumer_CreatedWithADeliveryLimit_LosesItWhenAMemberJoins()
    {
        await using var nats = await NatsServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Url)));
        var queue = drivers.Registry.Queue("nats")!;
        await (await queue.ConsumeAsync("ns", "q", "g", "m", ConsumeOptions.Default, default).WaitAsync(Timeouts.Await)).DisposeAsync();
        await using var raw = new NatsConnection(new NatsOpts { Url = nats.Url });
        var jetStream = new NatsJSContext(raw);
        var group = await SingleConsumerAsync(jetStream);
        // As an earlier version created it: one delivery more than allowed.
        await jetStream.CreateOrUpdateConsumerAsync(MessagesStream, group.Info.Config with { MaxDeliver = ConsumeOptions.Default.MaxDeliveries + 1 });
        Assert.Equal(ConsumeOptions.Default.MaxDeliveries + 1, (await SingleConsumerAsync(jetStream)).Info.Config.MaxDeliver);

        await (await queue.ConsumeAsync("ns", "q", "g", "m", ConsumeOptions.Default, default).WaitAsync(Timeouts.Await)).DisposeAsync();

        Assert.Equal(-1, (await SingleConsumerAsync(jetStream)).Info.Config.MaxDeliver);
    }

    private static Task<string> EnqueueAsync(IQueue queue, string text) =>
        queue.EnqueueAsync("ns", "q", System.Text.Encoding.UTF8.GetBytes(text), null, null, null, default).WaitAsync(Timeouts.Await);

    private static string Text(QueueMessage message) => Text(message.Payload);

    private static string Text(ReadOnlyMemory<byte> payload) => System.Text.Encoding.UTF8.GetString(payload.Span);

    private static async Task<INatsJSConsumer> SingleConsumerAsync(NatsJSContext jetStream)
    {
        var consumers = new List<INatsJSConsumer>();
        await foreach (var consumer in jetStream.ListConsumersAsync(MessagesStream))
        {
            consumers.Add(consumer);
        }

        return Assert.Single(consumers);
    }

    /// <summary>Fetches the group's message as delivery <paramref name="attempt"/> (once the previous one timed out) and never settles it.</summary>
    private static async Task LoseDeliveryAsync(INatsJSConsumer group, int attempt)
    {
        await Timeouts.EventuallyAsync(async () =>
        {
            await foreach (var delivery in group.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1, Expires = TimeSpan.FromSeconds(5) }))
            {
                Assert.Equal(attempt, (int)delivery.Metadata!.Value.NumDelivered);
                return true;
            }

            return false;
        }, $"delivery {attempt} of the message");
    }

    /// <summary>Sends a signal to the server's process, by its id.</summary>
    private static void Signal(NatsServer server, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, server.ProcessId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
        if (signal == "STOP")
        {
            // The signal is delivered asynchronously: until the server is seen stopped (state T), it may still answer.
            var stat = $"/proc/{server.ProcessId}/stat";
            Assert.True(SpinWait.SpinUntil(() => File.ReadAllText(stat).Split(") ")[1].StartsWith('T'), Timeouts.Await), "nats-server did not stop");
        }
    }
}
