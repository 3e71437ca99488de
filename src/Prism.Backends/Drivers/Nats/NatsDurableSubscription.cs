using System.Runtime.CompilerServices;
using NATS.Client.JetStream;
using Prism.Backends.PubSub;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// A durable subscriber reading its JetStream consumer. A message is acknowledged when the reader
/// asks for the next one, so what the subscriber had not taken when it left is delivered again
/// when it comes back (at least once). A slow durable subscriber only slows itself: the consumer
/// is pulled, never pushed.
/// </summary>
internal sealed class NatsDurableSubscription(string topic, string subscriberId, INatsJSConsumer consumer, int prefetch, Action<ILiveSubscription> onClosed)
    : IPubSubSubscription, ILiveSubscription
{
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
        var options = new NatsJSConsumeOpts { MaxMsgs = prefetch };
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
            yield return MessageEnvelope.Decode(topic, message.Data ?? []);
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
