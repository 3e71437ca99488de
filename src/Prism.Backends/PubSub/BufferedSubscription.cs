using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Prism.Backends.PubSub;

/// <summary>
/// A subscription fed by a driver through a bounded buffer. Delivery never waits: when the
/// buffer is full the subscriber is disconnected with <see cref="SubscriberLaggingException"/>
/// (it can subscribe again), so a slow subscriber blocks neither publishers nor other
/// subscribers and never silently misses a message in the middle of its stream.
/// </summary>
public sealed class BufferedSubscription : IPubSubSubscription, ILiveSubscription
{
    private readonly Channel<PubSubMessage> _buffer;
    private readonly int _capacity;
    private readonly Func<BufferedSubscription, ValueTask> _onClosed;
    private readonly Action? _onLagging;
    private int _closed;

    /// <summary>
    /// Creates a subscription; <paramref name="onClosed"/> runs once when it ends for any reason,
    /// <paramref name="onLagging"/> when it is disconnected for falling behind.
    /// </summary>
    public BufferedSubscription(string topic, string subscriberId, int capacity, Func<BufferedSubscription, ValueTask> onClosed, Action? onLagging = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Topic = topic;
        SubscriberId = subscriberId;
        _capacity = capacity;
        _onClosed = onClosed;
        _onLagging = onLagging;
        _buffer = Channel.CreateBounded<PubSubMessage>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <inheritdoc />
    public string Topic { get; }

    /// <inheritdoc />
    public string SubscriberId { get; }

    /// <summary>True once the subscription ended.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Hands a message to the subscriber without waiting; false when the subscription is (now) closed.</summary>
    public bool Offer(PubSubMessage message)
    {
        if (_buffer.Writer.TryWrite(message))
        {
            return true;
        }

        if (!IsClosed)
        {
            _onLagging?.Invoke();
            _ = CloseAsync(new SubscriberLaggingException(Topic, SubscriberId, _capacity)).AsTask();
        }

        return false;
    }

    /// <inheritdoc />
    public async ValueTask CloseAsync(Exception? error = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _buffer.Writer.TryComplete(error);
        await _onClosed(this);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<PubSubMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        var reader = _buffer.Reader;
        while (true)
        {
            try
            {
                if (!await reader.WaitToReadAsync(cancellation))
                {
                    break;
                }
            }
            catch (ChannelClosedException closed) when (closed.InnerException is not null)
            {
                throw closed.InnerException;
            }

            while (reader.TryRead(out var message))
            {
                yield return message;
            }
        }

        if (reader.Completion.IsFaulted)
        {
            throw reader.Completion.Exception!.InnerException!;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => CloseAsync();
}
