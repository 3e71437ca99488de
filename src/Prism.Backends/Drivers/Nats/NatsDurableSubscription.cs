using System.Runtime.CompilerServices;
using NATS.Client.JetStream;
using Prism.Backends.PubSub;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// A durable subscriber reading its JetStream consumer. A message is acknowledged when the reader
/// asks for the next one, so delivery is at least once: a message in hand (or prefetched, at most
/// <see cref="MaxPrefetch"/>) when the subscriber left is delivered again after the consumer's ack
/// wait (30 s), possibly after newer ones. A slow durable subscriber only slows itself: the
/// consumer is pulled, never pushed. A message from outside Prism is delivered (with empty context)
/// and acknowledged like any other, so it is never redelivered forever.
/// </summary>
internal sealed class NatsDurableSubscription(string topic, string subscriberId, INatsJSConsumer consumer, int prefetch, Action<ILiveSubscription> onClosed,
    TimeProvider time)
    : IPubSubSubscription, ILiveSubscription
{
    /// <summary>Most messages pulled ahead of the reader.</summary>
    public const int MaxPrefetch = 64;

    private readonly CancellationTokenSource _closing = new();
    private Exception? _error;
    private int _closed;

    /// <inheritdoc cref="IPubSubSubscription.Topic" />
    public string Topic => topic;

    /// <inheritdoc cref="IPubSubSubscription.SubscriberId" />
    public string SubscriberId => subscriberId;

    /// <inheritdoc />
    public async IAsyncEnumerable<PubSubMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _closing.Token);
        var options = new NatsJSConsumeOpts { MaxMsgs = Math.Min(prefetch, MaxPrefetch) };
        await using var messages = consumer.ConsumeAsync<byte[]>(opts: options, cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
        while (true)
        {
            try
            {
                if (!await messages.MoveNextAsync())
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                break;
            }

            var message = messages.Current;
            var receivedAt = message.Metadata?.Timestamp.ToUnixTimeMilliseconds() ?? SubscribeOptions.NowMs(time);
            yield return NatsMessageHeaders.Read(topic, message.Data, message.Headers, receivedAt);
            await message.AckAsync(cancellationToken: stop.Token);
        }

        if (_error is not null)
        {
            throw _error;
        }
    }

    /// <inheritdoc />
    public async ValueTask CloseAsync(Exception? error = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _error = error;
        await _closing.CancelAsync();
        onClosed(this);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => CloseAsync();
}
