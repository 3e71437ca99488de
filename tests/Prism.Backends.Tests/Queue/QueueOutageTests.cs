using Prism.Backends.Drivers.Nats;
using Prism.Backends.Drivers.Postgres;
using Prism.Backends.Drivers.Redis;
using Prism.Backends.Queue;
using Prism.Backends.Tests.Support;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.Queue;

/// <summary>
/// A queue backend that goes away surfaces as BackendUnavailableException naming it to producers, while consuming
/// members wait for it (for <see cref="BackendDriverOptions.QueueOutageWindow"/>; see NatsQueueResilienceTests for
/// the end of that window) and keep the messages they hold.
/// </summary>
public sealed class QueueOutageTests
{
    private static readonly ConsumeOptions Options = ConsumeOptions.Default with { VisibilityTimeout = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task Redis_Down_FailsEnqueue_KeepsMembers_AndIsUsedAgainWhenBack()
    {
        await using var redis = await RedisServer.StartNewAsync(appendFsyncAlways: true).WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, redis.Configuration)));
        var queue = drivers.Registry.Queue("redis")!;
        await using var member = new Member(await queue.ConsumeAsync("ns", "q", "g", "m", ConsumeOptions.Default, default).WaitAsync(Timeouts.Await));
        await queue.EnqueueAsync("ns", "q", "1"u8.ToArray(), null, null, null, default).WaitAsync(Timeouts.Await);
        await queue.EnqueueAsync("ns", "q", "2"u8.ToArray(), null, null, null, default).WaitAsync(Timeouts.Await);
        await member.AckAsync(await member.NextAsync());
        var held = await member.NextAsync();
        var next = member.StartNext();

        await redis.StopAsync();

        var down = await Assert.ThrowsAsync<BackendUnavailableException>(() => queue.EnqueueAsync("ns", "q", "refused"u8.ToArray(), null, null, null, default).WaitAsync(Timeouts.Await));
        Assert.Equal("redis", down.BackendName);
        // Several failed fetches (their pause doubles from the poll interval up to 2 s).
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(next.IsCompleted, $"the member's stream ended while redis was down: {next.Exception?.InnerException?.Message}");

        await redis.StartAsync().WaitAsync(Timeouts.Await);
        await Timeouts.EventuallySucceedsAsync(() => queue.EnqueueAsync("ns", "q", "3"u8.ToArray(), null, null, null, default), "redis is used again");
        await member.AckAsync(held);
        Assert.True(await next.WaitAsync(Timeouts.Await), "the consumer ended");
        var message = member.Current;
        // A refused enqueue may still have been written once redis was back.
        while (message.Payload.Span.SequenceEqual("refused"u8))
        {
            await member.AckAsync(message);
            message = await member.NextAsync();
        }

        Assert.Equal("3"u8.ToArray(), message.Payload.ToArray());
        await member.AckAsync(message);
    }

    [Fact]
    public async Task Nats_Down_FailsEnqueue_AndIsUsedAgainWhenBack()
    {
        await using var nats = await NatsServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Url)));
        var queue = drivers.Registry.Queue("nats")!;
        await queue.EnqueueAsync("ns", "q", "1"u8.ToArray(), null, null, null, default).WaitAsync(Timeouts.Await);

        await nats.StopAsync();

        await Timeouts.EventuallyAsync(async () =>
        {
            var down = await Assert.ThrowsAsync<BackendUnavailableException>(() => queue.EnqueueAsync("ns", "q", "2"u8.ToArray(), null, null, null, default));
            return down.BackendName == "nats";
        }, "enqueueing fails with nats unavailable");

        await nats.StartAsync().WaitAsync(Timeouts.Await);
        await Timeouts.EventuallySucceedsAsync(() => queue.EnqueueAsync("ns", "q", "3"u8.ToArray(), null, null, null, default), "nats is used again");
        await using var member = new Member(await queue.ConsumeAsync("ns", "q", "g", "m", Options, default).WaitAsync(Timeouts.Await));
        Assert.Equal("1"u8.ToArray(), (await member.NextAsync()).Payload.ToArray());
    }

    [Fact]
    public async Task Postgres_Unreachable_IsUnavailable()
    {
        var url = $"postgres://prism@127.0.0.1:{FreePort.Next()}/prism";
        await using var drivers = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, url)));
        var queue = drivers.Registry.Queue("postgres")!;

        var down = await Assert.ThrowsAsync<BackendUnavailableException>(() => queue.EnqueueAsync("ns", "q", "1"u8.ToArray(), null, null, null, default).WaitAsync(Timeouts.Await));
        Assert.Equal("postgres", down.BackendName);
        await Assert.ThrowsAsync<BackendUnavailableException>(() => queue.ConsumeAsync("ns", "q", "g", "m", Options, default).WaitAsync(Timeouts.Await));
    }
}
