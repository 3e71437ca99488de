using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Prism.Backends.Queue;

/// <summary>
/// The member side every driver shares: a loop that fetches at most as many messages as the member has
/// free in-flight slots, hands them to the reader, and settles them by id. A driver supplies the
/// engine calls; <typeparamref name="TDelivery"/> is what it needs to settle one delivery (a stream
/// entry id, a JetStream message, a row key). A fetch that finds the backend unavailable is tried again,
/// after a pause that doubles from the poll interval up to <see cref="MaxOutagePause"/>, while the member
/// keeps what it holds; only when the backend stays unavailable for the outage window does the reader end
/// with the <see cref="BackendUnavailableException"/>. Any other fetch failure ends it at once.
/// A settle that fails gives up the message's slot (the backend gives the message out again after its
/// visibility timeout, to this member or another) but keeps the message held, so the settle can be retried;
/// without that, a member whose settles failed during an outage would hold every slot and never fetch again.
/// </summary>
internal abstract class QueueConsumer<TDelivery> : IQueueConsumer
{
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly Channel<QueueMessage> _ready = Channel.CreateUnbounded<QueueMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<IQueueConsumer> _onClosed;
    private readonly TimeSpan _outageWindow;
    private Task _loop = Task.CompletedTask;
    private int _closed;

    /// <summary>Longest pause between fetches while the backend is unavailable (unless the poll interval is longer).</summary>
    public static readonly TimeSpan MaxOutagePause = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan MinOutagePause = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Pause after the first fetch that found nothing; it doubles up to the poll interval while fetches keep finding
    /// nothing, so a busy group's messages wait milliseconds, not a whole poll interval, and an idle one costs no more.
    /// (2 ms cost a fifth of the proxied JetStream throughput in the queue bench: fetches of a few messages each.)
    /// </summary>
    private static readonly TimeSpan FirstIdlePause = TimeSpan.FromMilliseconds(10);

    /// <summary>How long a member waits after a fetch that emptied what was there before it fetches again.</summary>
    private static readonly TimeSpan GatherPause = TimeSpan.FromMilliseconds(1);

    protected QueueConsumer(string queue, string group, string consumerId, ConsumeOptions options, TimeProvider time, TimeSpan pollInterval,
        TimeSpan outageWindow, Action<IQueueConsumer> onClosed)
    {
        Queue = queue;
        Group = group;
        ConsumerId = consumerId;
        Options = options;
        Time = time;
        PollInterval = pollInterval;
        _onClosed = onClosed;
        _outageWindow = outageWindow;
        _slots = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
    }

    /// <inheritdoc />
    public string Queue { get; }

    /// <inheritdoc />
    public string Group { get; }

    /// <inheritdoc />
    public string ConsumerId { get; }

    /// <summary>The member's options.</summary>
    protected ConsumeOptions Options { get; }

    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; }

    /// <summary>Longest pause after fetches that found nothing.</summary>
    protected TimeSpan PollInterval { get; }

    /// <summary>Messages this member holds unsettled.</summary>
    public int InFlight => _held.Count;

    /// <summary>Starts the fetch loop; call once the derived instance is ready.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <inheritdoc />
    public async IAsyncEnumerable<QueueMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        while (await _ready.Reader.WaitToReadAsync(cancellation))
        {
            while (_ready.Reader.TryRead(out var message))
            {
                yield return message;
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> AckAsync(string messageId, CancellationToken cancellation)
    {
        if (!_held.TryGetValue(messageId, out var held))
        {
            return false;
        }

        await SettleCoreAsync(held, () => AckCoreAsync(held.Message, held.Delivery, cancellation));
        return Settle(held);
    }

    /// <inheritdoc />
    public async Task<bool> NackAsync(string messageId, TimeSpan delay, string? error, CancellationToken cancellation)
    {
        if (!_held.TryGetValue(messageId, out var held))
        {
            return false;
        }

        var reason = DeadLetter.ErrorOf(error);
        var clamped = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        await SettleCoreAsync(held, () => held.Message.Attempt >= Options.MaxDeliveries
            ? DeadLetterCoreAsync(held.Message, held.Delivery, reason, cancellation)
            : RetryCoreAsync(held.Message, held.Delivery, clamped, reason, cancellation));

        return Settle(held);
    }

    /// <summary>Stops fetching; once it returns, the member takes no more messages (a fetch under way is let finish).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _ready.Writer.TryComplete();
        _onClosed(this);
        _stopping.Dispose();
    }

    /// <summary>
    /// Up to <paramref name="max"/> messages for this member: due redeliveries first, then new ones. A
    /// message past its last delivery (its final attempt timed out) is made a dead letter with
    /// <see cref="DeadLetter.VisibilityTimeoutError"/> instead of being returned.
    /// </summary>
    protected abstract Task<IReadOnlyList<(QueueMessage Message, TDelivery Delivery)>> FetchAsync(int max, CancellationToken cancellation);

    /// <summary>Marks the delivery done for the group.</summary>
    protected abstract Task AckCoreAsync(QueueMessage message, TDelivery delivery, CancellationToken cancellation);

    /// <summary>Makes the delivery visible to the group again after <paramref name="delay"/>, if this member still holds it.</summary>
    protected abstract Task RetryCoreAsync(QueueMessage message, TDelivery delivery, TimeSpan delay, string error, CancellationToken cancellation);

    /// <summary>Moves the message to the queue's dead letters with <paramref name="error"/>, if this member still holds it.</summary>
    protected abstract Task DeadLetterCoreAsync(QueueMessage message, TDelivery delivery, string error, CancellationToken cancellation);

    /// <summary>The exception the reader sees for a failed fetch (<see cref="BackendUnavailableException"/> when the backend is gone).</summary>
    protected abstract Exception Translate(Exception error);

    private async Task SettleCoreAsync(Held held, Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch
        {
            FreeSlot(held);
            throw;
        }
    }

    /// <summary>
    /// Forgets the settled delivery: false when it was already forgotten (settled twice at once). Only this
    /// delivery: a nack without delay can give the message to this member again before the nack returns, and
    /// that new delivery stays held.
    /// </summary>
    private bool Settle(Held held)
    {
        var id = held.Message.MessageId;
        if (!_held.TryRemove(KeyValuePair.Create(id, held)) && !_held.ContainsKey(id))
        {
            return false;
        }

        FreeSlot(held);
        return true;
    }

    private void FreeSlot(Held held)
    {
        if (held.GiveUpSlot())
        {
            _slots.Release();
        }
    }

    /// <summary>Holds <paramref name="entry"/>; returns whether it took a new slot (not when it replaces a delivery of the same message that still has one).</summary>
    private bool Hold(Held entry)
    {
        var id = entry.Message.MessageId;
        if (_held.TryGetValue(id, out var previous) && _held.TryUpdate(id, entry, previous))
        {
            // The same message given to this member again (it held it past the visibility timeout).
            return !previous.GiveUpSlot();
        }

        _held[id] = entry;
        return true;
    }

    private async Task RunAsync()
    {
        var stop = _stopping.Token;
        long? outageSince = null;
        var pause = FirstOutagePause;
        var idle = FirstIdle;
        try
        {
            while (true)
            {
                await _slots.WaitAsync(stop);
                var free = 1;
                while (_slots.Wait(0))
                {
                    free++;
                }

                IReadOnlyList<(QueueMessage Message, TDelivery Delivery)> fetched;
                try
                {
                    // Not cancelled by dispose: an abandoned fetch could still take messages after the member left.
                    fetched = await FetchAsync(free, CancellationToken.None);
                }
                catch (Exception e)
                {
                    _slots.Release(free);
                    var failure = Translate(e);
                    outageSince ??= Time.GetTimestamp();
                    if (failure is not BackendUnavailableException || Time.GetElapsedTime(outageSince.Value) >= _outageWindow)
                    {
                        _ready.Writer.TryComplete(failure);
                        return;
                    }

                    // The backend is away: keep the held messages (acks work again once it is back) and look again later.
                    await Task.Delay(pause, Time, stop);
                    pause = Doubled(pause, MaxOutagePause);
                    continue;
                }

                outageSince = null;
                pause = FirstOutagePause;
                var taken = 0;
                foreach (var (message, delivery) in fetched)
                {
                    taken += Hold(new Held(message, delivery)) ? 1 : 0;
                    _ready.Writer.TryWrite(message);
                }

                if (free > taken)
                {
                    _slots.Release(free - taken);
                }

                if (fetched.Count == 0)
                {
                    await Task.Delay(idle, Time, stop);
                    idle = Doubled(idle, PollInterval);
                }
                else
                {
                    idle = FirstIdle;
                    if (fetched.Count < free)
                    {
                        // The backend had fewer than asked for: let the next ones gather, so that a fetch carries several.
                        await Task.Delay(GatherPause, Time, stop);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _ready.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _ready.Writer.TryComplete(Translate(e));
        }
    }

    private TimeSpan FirstOutagePause => PollInterval > MinOutagePause ? PollInterval : MinOutagePause;

    private TimeSpan FirstIdle => PollInterval < FirstIdlePause ? PollInterval : FirstIdlePause;

    /// <summary>Twice <paramref name="pause"/>, at most <paramref name="max"/> (a pause already longer stays as it is).</summary>
    private static TimeSpan Doubled(TimeSpan pause, TimeSpan max) => pause * 2 < max ? pause * 2 : pause > max ? pause : max;

    private sealed class Held(QueueMessage message, TDelivery delivery)
    {
        private int _hasSlot = 1;

        public QueueMessage Message { get; } = message;

        public TDelivery Delivery { get; } = delivery;

        /// <summary>True once only: when the slot this delivery took is to be released.</summary>
        public bool GiveUpSlot() => Interlocked.Exchange(ref _hasSlot, 0) == 1;
    }
}
