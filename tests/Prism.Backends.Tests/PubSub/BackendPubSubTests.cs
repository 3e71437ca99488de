using Prism.Backends.Drivers.Nats;
using Prism.Backends.Drivers.Postgres;
using Prism.Backends.Drivers.Memstore;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.PubSub;

public sealed class MemstorePubSubTests : PubSubContract
{
    private readonly MemoryPubSub _pubSub = new(TimeProvider.System, BackendDriverOptions.Default with { SubscriberBuffer = Timeouts.SubscriberBuffer });

    protected override IPubSub PubSub => _pubSub;

    public override async Task DisposeAsync() => await _pubSub.DisposeAsync();

    [Fact]
    public async Task DurableSubscription_IsNotSupported()
    {
        var refused = await Assert.ThrowsAsync<BackendCapabilityException>(() => PubSub.SubscribeAsync(Ns, "t", "s", new SubscribeOptions(Durable: true), default));

        Assert.Equal(Capabilities.PubSubDurable, refused.Capability);
    }
}

[Collection(PostgresFixture.Collection)]
public sealed class PostgresPubSubTests(PostgresFixture postgres) : PubSubContract
{
    private TestBackends? _drivers;

    protected override IPubSub PubSub => _drivers!.Registry.PubSub("postgres")!;

    public override async Task InitializeAsync() =>
        _drivers = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, await SharedDatabase.UrlAsync(postgres).WaitAsync(Timeouts.Await))));

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();

    [Fact]
    public async Task MessagesFromAnotherProcess_AreDelivered()
    {
        await using var other = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, await SharedDatabase.UrlAsync(postgres))));
        await using var reading = await SubscribeAsync("shared", "s1");

        await other.Registry.PubSub("postgres")!.PublishAsync(Ns, "shared", "from afar"u8.ToArray(), null, null, default).WaitAsync(Timeouts.Await);

        Assert.Equal("from afar", Text(await reading.NextAsync()));
    }
}

[Collection(NatsCollection.Nats)]
public sealed class NatsPubSubTests(NatsFixture nats) : PubSubContract
{
    private TestBackends? _drivers;

    protected override IPubSub PubSub => _drivers!.Registry.PubSub("nats")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Server.Url)));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();

    [Fact]
    public async Task DurableSubscriber_GetsWhatItMissed_WhenItComesBack()
    {
        var durable = new SubscribeOptions(Durable: true);
        await using (var first = await SubscribeAsync("ledger", "auditor", durable))
        {
            await PublishAsync("ledger", "m1");
            Assert.Equal("m1", Text(await first.NextAsync()));
        }

        await PublishAsync("ledger", "m2");
        await PublishAsync("ledger", "m3");

        await using var back = await SubscribeAsync("ledger", "auditor", durable);
        Assert.Equal(["m2", "m3"], (await back.NextAsync(2)).Select(Text));
    }

    [Fact]
    public async Task DurableSubscriber_OnADifferentDriver_ResumesToo()
    {
        var durable = new SubscribeOptions(Durable: true);
        await (await SubscribeAsync("jobs", "worker", durable)).DisposeAsync();
        await PublishAsync("jobs", "while away");

        await using var other = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Server.Url)));
        await using var back = new Reading(await other.Registry.PubSub("nats")!.SubscribeAsync(Ns, "jobs", "worker", durable, default).WaitAsync(Timeouts.Await));

        Assert.Equal("while away", Text(await back.NextAsync()));
    }

    [Fact]
    public async Task Unsubscribe_ForgetsTheDurablePosition()
    {
        var durable = new SubscribeOptions(Durable: true);
        await (await SubscribeAsync("feed", "reader", durable)).DisposeAsync();
        Assert.True(await PubSub.UnsubscribeAsync(Ns, "feed", "reader", default).WaitAsync(Timeouts.Await));
        await PublishAsync("feed", "missed for good");

        await using var back = await SubscribeAsync("feed", "reader", durable);
        await PublishAsync("feed", "fresh");

        Assert.Equal("fresh", Text(await back.NextAsync()));
    }

    [Fact]
    public async Task PlainAndDurableSubscribers_BothReceive()
    {
        await using var plain = await SubscribeAsync("mixed", "plain");
        await using var durable = await SubscribeAsync("mixed", "durable", new SubscribeOptions(Durable: true));

        await PublishAsync("mixed", "hello");

        Assert.Equal("hello", Text(await plain.NextAsync()));
        Assert.Equal("hello", Text(await durable.NextAsync()));
    }
}
