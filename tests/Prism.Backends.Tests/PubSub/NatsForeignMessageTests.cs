using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Prism.Backends.Drivers.Nats;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.PubSub;

/// <summary>
/// Messages another NATS client puts on a namespace's subject (raw bytes, no or other headers) reach
/// Prism subscribers with empty context, never end their stream and are acknowledged like any other.
/// </summary>
[Collection(NatsCollection.Nats)]
public sealed class NatsForeignMessageTests(NatsFixture nats) : IAsyncLifetime
{
    private readonly string _ns = "ns-" + Guid.NewGuid().ToString("N")[..12];
    private TestBackends _drivers = null!;
    private NatsConnection _foreign = null!;

    private IPubSub PubSub => _drivers.Registry.PubSub("nats")!;

    public async Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings((NatsBackendType.UrlSetting, nats.Server.Url)));
        _foreign = new NatsConnection(new NatsOpts { Url = nats.Server.Url });
        await _foreign.ConnectAsync().AsTask().WaitAsync(Timeouts.Await);
    }

    public async Task DisposeAsync()
    {
        await _foreign.DisposeAsync();
        await _drivers.DisposeAsync();
    }

    [Fact]
    public async Task PlainNatsMessages_ReachAPlainSubscriber_WithEmptyContext_AndTheStreamGoesOn()
    {
        await using var reading = await SubscribeAsync("mixed", SubscribeOptions.Default);

        await PublishForeignAsync("mixed", "raw bytes");
        await PublishForeignAsync("mixed", "\u0001 looks like the old envelope", new NatsHeaders { ["X-Other"] = "1" });
        await PubSub.PublishAsync(_ns, "mixed", "from prism"u8.ToArray(), null, new MessageContext("alice"), default).WaitAsync(Timeouts.Await);

        var raw = await reading.NextAsync();
        Assert.Equal(("raw bytes", ""), (Text(raw), raw.MessageId));
        Assert.True(raw.Context.IsEmpty);
        Assert.Empty(raw.Metadata);
        Assert.InRange(raw.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        var other = await reading.NextAsync();
        Assert.Equal("\u0001 looks like the old envelope", Text(other));
        Assert.True(other.Context.IsEmpty);
        var prism = await reading.NextAsync();
        Assert.Equal(("from prism", "alice"), (Text(prism), prism.Context.PublisherSubject));
    }

    [Fact]
    public async Task PlainNatsMessage_ReachesADurableSubscriberOnce_AndIsNotRedeliveredAfterItComesBack()
    {
        var durable = new SubscribeOptions(Durable: true);
        await using (var first = await SubscribeAsync("jobs", durable))
        {
            await PublishForeignAsync("jobs", "foreign");
            var foreign = await first.NextAsync();
            Assert.Equal("foreign", Text(foreign));
            Assert.True(foreign.Context.IsEmpty);

            // Reading on acknowledges the foreign message.
            await PubSub.PublishAsync(_ns, "jobs", "m1"u8.ToArray(), null, null, default).WaitAsync(Timeouts.Await);
            Assert.Equal("m1", Text(await first.NextAsync()));
        }

        var jetStream = new NatsJSContext(_foreign);
        await Timeouts.EventuallyAsync(async () =>
        {
            var consumer = await jetStream.GetConsumerAsync(NatsSubjects.Stream, NatsSubjects.Consumer(_ns, "jobs", "s1"));
            return consumer.Info.AckFloor.ConsumerSeq >= 1 && consumer.Info.NumRedelivered == 0;
        }, "the foreign message is acknowledged");

        await using var back = await SubscribeAsync("jobs", durable);
        await PubSub.PublishAsync(_ns, "jobs", "m2"u8.ToArray(), null, null, default).WaitAsync(Timeouts.Await);

        Assert.Equal("m2", Text(await back.NextAsync()));
    }

    private async Task<Reading> SubscribeAsync(string topic, SubscribeOptions options) =>
        new(await PubSub.SubscribeAsync(_ns, topic, "s1", options, default).WaitAsync(Timeouts.Await));

    private async Task PublishForeignAsync(string topic, string text, NatsHeaders? headers = null)
    {
        await _foreign.PublishAsync(NatsSubjects.Of(_ns, topic), Encoding.UTF8.GetBytes(text), headers: headers).AsTask().WaitAsync(Timeouts.Await);
        await _foreign.PingAsync().AsTask().WaitAsync(Timeouts.Await);
    }

    private static string Text(PubSubMessage message) => Encoding.UTF8.GetString(message.Payload.Span);
}
