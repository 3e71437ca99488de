using Prism.Backends.Drivers.Nats;
using Prism.Backends.Drivers.Redis;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.PubSub;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests;

/// <summary>A backend that goes away surfaces as BackendUnavailableException naming it, and is used again when it returns.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task Redis_Down_IsUnavailable_AndUsedAgainWhenBack()
    {
        await using var redis = await RedisServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, redis.Configuration)));
        var store = drivers.Registry.KeyValue("redis")!;
        await store.SetAsync("ns", "k", "1"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        await redis.StopAsync();

        var down = await Assert.ThrowsAsync<BackendUnavailableException>(() => store.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await));
        Assert.Equal("redis", down.BackendName);
        Assert.Contains("redis", down.Message, StringComparison.Ordinal);

        await redis.StartAsync().WaitAsync(Timeouts.Await);

        await Timeouts.EventuallySucceedsAsync(() => store.SetAsync("ns", "k", "2"u8.ToArray(), null, default), "redis is used again");
        Assert.Equal("2"u8.ToArray(), (await store.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await)).Value.ToArray());
    }

    [Fact]
    public async Task Redis_DownAtFirstUse_IsUnavailable_AndUsedOnceItStarts()
    {
        await using var redis = new RedisServer();
        await using var drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, redis.Configuration)));
        var store = drivers.Registry.KeyValue("redis")!;

        var down = await Assert.ThrowsAsync<BackendUnavailableException>(() => store.ExistsAsync("ns", "k", default).WaitAsync(Timeouts.Await));
        Assert.Equal("redis", down.BackendName);

        await redis.StartAsync().WaitAsync(Timeouts.Await);

        await Timeouts.EventuallySucceedsAsync(() => store.SetAsync("ns", "k", "1"u8.ToArray(), null, default), "redis is used once it starts");
    }

    [Fact]
    public async Task Nats_Down_IsUnavailable_AndUsedAgainWhenBack()
    {
        await using var nats = await NatsServer.StartNewAsync().WaitAsync(Timeouts.Await);
        await using var drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Url)));
        var pubSub = drivers.Registry.PubSub("nats")!;
        await pubSub.PublishAsync("ns", "t", "1"u8.ToArray(), null, null, default).WaitAsync(Timeouts.Await);

        await nats.StopAsync();

        await Timeouts.EventuallyAsync(async () =>
        {
            var down = await Assert.ThrowsAsync<BackendUnavailableException>(() => pubSub.PublishAsync("ns", "t", "2"u8.ToArray(), null, null, default));
            return down.BackendName == "nats";
        }, "publishing fails with nats unavailable");

        await nats.StartAsync().WaitAsync(Timeouts.Await);

        await Timeouts.EventuallySucceedsAsync(() => pubSub.PublishAsync("ns", "t", "3"u8.ToArray(), null, null, default), "nats is used again");
        await using var reading = new Reading(await pubSub.SubscribeAsync("ns", "t", "s", SubscribeOptions.Default, default).WaitAsync(Timeouts.Await));
        await pubSub.PublishAsync("ns", "t", "4"u8.ToArray(), null, null, default).WaitAsync(Timeouts.Await);
        Assert.Equal("4"u8.ToArray(), (await reading.NextAsync()).Payload.ToArray());
    }
}
