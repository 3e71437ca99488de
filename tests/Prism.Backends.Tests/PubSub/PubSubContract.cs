using System.Text;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests.PubSub;

/// <summary>What every pub/sub driver must do. Each test uses its own namespace.</summary>
public abstract class PubSubContract : IAsyncLifetime
{
    protected string Ns { get; } = "ns-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The driver under test, with a subscriber buffer of <see cref="Timeouts.SubscriberBuffer"/>.</summary>
    protected abstract IPubSub PubSub { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected async Task<Reading> SubscribeAsync(string topic, string subscriber, SubscribeOptions? options = null, string? ns = null) =>
        new(await PubSub.SubscribeAsync(ns ?? Ns, topic, subscriber, options ?? SubscribeOptions.Default, default).WaitAsync(Timeouts.Await));

    protected Task<string> PublishAsync(string topic, string text, string? ns = null, IReadOnlyDictionary<string, string>? metadata = null,
        MessageContext? context = null) =>
        PubSub.PublishAsync(ns ?? Ns, topic, Encoding.UTF8.GetBytes(text), metadata, context, default).WaitAsync(Timeouts.Await);

    /// <summary>A context as the proxy fills it.</summary>
    protected MessageContext SampleContext() => new("user-42", "prismctl", "ses-0123456789ab", Ns,
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");

    protected static string Text(PubSubMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    [Fact]
    public async Task Subscriber_GetsPayloadMetadataIdAndTimestamp()
    {
        await using var reading = await SubscribeAsync("orders", "s1");
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var before = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();

        var id = await PubSub.PublishAsync(Ns, "orders", payload, new Dictionary<string, string> { ["kind"] = "created", ["ü"] = "ß" }, null, default).WaitAsync(Timeouts.Await);

        var message = await reading.NextAsync();
        Assert.Equal("orders", message.Topic);
        Assert.Equal(payload, message.Payload.ToArray());
        Assert.Equal("created", message.Metadata["kind"]);
        Assert.Equal("ß", message.Metadata["ü"]);
        Assert.Equal(id, message.MessageId);
        Assert.InRange(message.Timestamp, before, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Context_TravelsBesideThePayload_AndTheMetadata()
    {
        await using var reading = await SubscribeAsync("signed", "s1");
        var context = SampleContext();

        var id = await PublishAsync("signed", "hello", metadata: new Dictionary<string, string> { ["kind"] = "greeting" }, context: context);

        var message = await reading.NextAsync();
        Assert.Equal(context, message.Context);
        Assert.Equal(new Dictionary<string, string> { ["kind"] = "greeting" }, message.Metadata);
        Assert.Equal(("hello", id), (Text(message), message.MessageId));
    }

    [Fact]
    public async Task MessageWithoutContext_IsDelivered_WithEmptyContext()
    {
        await using var reading = await SubscribeAsync("anonymous", "s1");

        await PublishAsync("anonymous", "who?");
        await PublishAsync("anonymous", "blank", context: new MessageContext("", null, "", null, "", null));

        Assert.All(await reading.NextAsync(2), m => Assert.True(m.Context.IsEmpty, $"context of '{Text(m)}': {m.Context}"));
    }

    [Fact]
    public async Task Metadata_RoundTripsUnchanged_EvenWithKeysNamedLikeContextOrDifferingOnlyInCase()
    {
        await using var reading = await SubscribeAsync("tricky", "s1");
        var metadata = new Dictionary<string, string>
        {
            ["kind"] = "lower",
            ["Kind"] = "Upper",
            ["traceparent"] = "00-00000000000000000000000000000001-0000000000000001-01",
            ["prism-publisher-subject"] = "mallory",
            ["prism-md-kind"] = "nested prefix",
            ["Nats-Msg-Id"] = "not the id",
            ["with space: and colon"] = "line\r\nbreak\r\nand 100% ünïcödé",
            ["ü"] = "",
            [""] = "empty key",
        };
        var context = SampleContext();

        var id = await PublishAsync("tricky", "body", metadata: metadata, context: context);

        var message = await reading.NextAsync();
        Assert.Equal(metadata, message.Metadata);
        Assert.Equal(context, message.Context);
        Assert.Equal(id, message.MessageId);
    }

    [Fact]
    public async Task EmptyAndLargePayloads_AreDelivered()
    {
        await using var reading = await SubscribeAsync("blobs", "s1");
        var large = new byte[512 * 1024];
        new Random(7).NextBytes(large);

        await PubSub.PublishAsync(Ns, "blobs", ReadOnlyMemory<byte>.Empty, null, null, default).WaitAsync(Timeouts.Await);
        await PubSub.PublishAsync(Ns, "blobs", large, null, null, default).WaitAsync(Timeouts.Await);

        Assert.Equal(0, (await reading.NextAsync()).Payload.Length);
        Assert.Equal(large, (await reading.NextAsync()).Payload.ToArray());
    }

    [Fact]
    public async Task MessagesOfATopic_ArriveInPublishOrder_ToEverySubscriber()
    {
        await using var first = await SubscribeAsync("seq", "s1");
        await using var second = await SubscribeAsync("seq", "s2");
        const int Count = Timeouts.SubscriberBuffer;

        var ids = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            ids.Add(await PublishAsync("seq", $"m{i}"));
        }

        var expected = Enumerable.Range(0, Count).Select(i => $"m{i}").ToList();
        var got1 = await first.NextAsync(Count);
        var got2 = await second.NextAsync(Count);
        Assert.Equal(expected, got1.Select(Text));
        Assert.Equal(expected, got2.Select(Text));
        Assert.Equal(ids, got1.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Unsubscribe_EndsTheStream_AndStopsDelivery()
    {
        await using var leaving = await SubscribeAsync("news", "leaver");
        await using var staying = await SubscribeAsync("news", "stayer");
        await PublishAsync("news", "before");
        Assert.Equal("before", Text(await leaving.NextAsync()));

        Assert.True(await PubSub.UnsubscribeAsync(Ns, "news", "leaver", default).WaitAsync(Timeouts.Await));
        await PublishAsync("news", "after");

        Assert.True(await leaving.EndedAsync());
        Assert.Equal(["before", "after"], (await staying.NextAsync(2)).Select(Text));
        Assert.False(await PubSub.UnsubscribeAsync(Ns, "news", "nobody", default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task SlowSubscriber_IsDisconnected_WithoutBlockingPublishersOrOthers()
    {
        await using var slow = await SubscribeAsync("firehose", "slow");
        await using var fast = await SubscribeAsync("firehose", "fast");
        const int Count = Timeouts.SubscriberBuffer * 4;

        // The slow subscriber reads nothing while everything is published; the fast one keeps up
        // (it reads each small group before the next is published).
        const int Group = Timeouts.SubscriberBuffer / 2;
        var fastGot = new List<PubSubMessage>();
        for (var i = 0; i < Count; i += Group)
        {
            for (var j = i; j < i + Group; j++)
            {
                await PublishAsync("firehose", $"m{j}");
            }

            fastGot.AddRange(await fast.NextAsync(Group));
        }

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"m{i}"), fastGot.Select(Text));

        // It still gets what was buffered, in order, then learns it lagged.
        var received = new List<string>();
        var lagged = await Assert.ThrowsAsync<SubscriberLaggingException>(async () =>
        {
            while (true)
            {
                received.Add(Text(await slow.NextAsync()));
            }
        });
        Assert.Equal("slow", lagged.SubscriberId);
        Assert.InRange(received.Count, 1, Count - 1);
        Assert.Equal(Enumerable.Range(0, received.Count).Select(i => $"m{i}"), received);
    }

    [Fact]
    public async Task Topics_AreIsolated_ByNamespaceAndName()
    {
        await using var reading = await SubscribeAsync("a.*", "s1");

        await PublishAsync("a.*", "other namespace", ns: Ns + "-other");
        await PublishAsync("a.b", "other topic");
        await PublishAsync("a", "prefix topic");
        await PublishAsync("a.*", "mine");

        Assert.Equal("mine", Text(await reading.NextAsync()));
    }
}
