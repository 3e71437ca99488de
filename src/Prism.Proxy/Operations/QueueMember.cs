using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Prism.Backends;
using Prism.Backends.Queue;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>
/// A member of a consumer group joined through the data plane: hands the driver's messages to the
/// client and the client's acks and nacks to the driver, over one stream. Deliveries and settlements go
/// through a small bounded outbox that one writer empties, sending whatever has piled up while it wrote in
/// one go (one frame for a member that joined batched): under load, fewer writes; when idle, no wait. The
/// driver holds at most <see cref="ConsumeOptions.MaxInFlight"/> unsettled. Disposing it leaves the group.
/// </summary>
internal sealed class QueueMember : IAsyncDisposable
{
    private readonly IQueueConsumer _consumer;
    private readonly DataPlaneRoute _route;
    private readonly RequestLimits _limits;
    private readonly TimeProvider _time;
    private readonly int _maxInFlight;
    private readonly Channel<MemberEvent> _outbox = Channel.CreateBounded<MemberEvent>(
        new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    internal QueueMember(IQueueConsumer consumer, ConsumeOptions options, DataPlaneRoute route, RequestLimits limits, TimeProvider time)
    {
        _consumer = consumer;
        _maxInFlight = options.MaxInFlight;
        _route = route;
        _limits = limits;
        _time = time;
    }

    /// <summary>Acks and nacks of one member in progress at once, at most.</summary>
    private const int ConcurrentSettlements = 64;

    /// <summary>Events waiting for the writer, at most; beyond, deliveries and settlements wait.</summary>
    private const int OutboxCapacity = 256;

    /// <summary>Payload bytes of one write at most (a single larger message still goes alone), well under a client's 4 MB receive limit.</summary>
    private const int WriteBytes = 1024 * 1024;

    /// <summary>
    /// Sends <paramref name="joined"/>, then delivers messages and settles requests until one side ends: the
    /// client finishes sending (a normal end: what is settled is sent first), or a request is refused, the
    /// backend is lost or <paramref name="cancellation"/> fires (the exception is thrown). <paramref name="send"/>
    /// gets the events ready at once, in order.
    /// </summary>
    public async Task RunAsync(MemberEvent.Joined joined, Func<CancellationToken, Task<MemberRequest?>> receive,
        Func<IReadOnlyList<MemberEvent>, CancellationToken, Task> send, CancellationToken cancellation)
    {
        await send([joined], cancellation);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var writing = WriteAllAsync(send, stopWriting.Token);
        var deliveries = DeliverAllAsync(stopping.Token);
        var settlements = SettleAllAsync(receive, stopping.Token);
        var first = await Task.WhenAny(deliveries, settlements, writing);
        await stopping.CancelAsync();
        if (!first.IsCompletedSuccessfully)
        {
            await stopWriting.CancelAsync();
        }

        // Stopped because the first one ended: its outcome is the stream's.
        await Task.WhenAll(deliveries, settlements).ContinueWith(_ => { }, TaskScheduler.Default);
        _outbox.Writer.TryComplete();
        await first;
        await writing;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _consumer.DisposeAsync();

    private async Task WriteAllAsync(Func<IReadOnlyList<MemberEvent>, CancellationToken, Task> send, CancellationToken cancellation)
    {
        var ready = new List<MemberEvent>();
        while (await _outbox.Reader.WaitToReadAsync(cancellation))
        {
            ready.Clear();
            long bytes = 0;
            while (ready.Count < OutboxCapacity && _outbox.Reader.TryPeek(out var next)
                && (ready.Count == 0 || bytes + PayloadBytes(next) <= WriteBytes))
            {
                _outbox.Reader.TryRead(out _);
                ready.Add(next);
                bytes += PayloadBytes(next);
            }

            await send(ready, cancellation);
        }
    }

    private static long PayloadBytes(MemberEvent @event) => @event is MemberEvent.Delivered delivered ? delivered.Message.Payload.Length : 0;

    private async Task DeliverAllAsync(CancellationToken cancellation)
    {
        await using var messages = _consumer.ReadAllAsync(cancellation).GetAsyncEnumerator(cancellation);
        while (await MoveNextAsync(messages))
        {
            var message = messages.Current;
            _route.Session.RecordDelivery(message.Payload.Length, _time.GetUtcNow());
            var call = Activity.Current;
            using (var span = MessageTelemetry.StartDelivery(_route, _consumer, message))
            {
                try
                {
                    await _outbox.Writer.WriteAsync(new MemberEvent.Delivered(message with
                    {
                        Metadata = ContextMetadata.ForSubscriber(message.Metadata, message.Context),
                    }), cancellation);
                }
                catch (Exception e) when (span is not null)
                {
                    span.SetStatus(ActivityStatusCode.Error, e.Message);
                    throw;
                }
            }

            // A span parented by the publisher has no parent object to restore as current when it stops.
            Activity.Current = call;
        }
    }

    private async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<QueueMessage> messages)
    {
        try
        {
            return await messages.MoveNextAsync();
        }
        catch (BackendUnavailableException e)
        {
            throw BackendCalls.Unavailable(_route, e);
        }
    }

    /// <summary>
    /// Settles acks and nacks as they come, up to <see cref="ConcurrentSettlements"/> at once: each is a backend
    /// round trip, and one at a time would cap a member at one message per round trip. A settlement's
    /// answer names its message, so answers may come in another order than the requests.
    /// </summary>
    private async Task SettleAllAsync(Func<CancellationToken, Task<MemberRequest?>> receive, CancellationToken cancellation)
    {
        using var slots = new SemaphoreSlim(ConcurrentSettlements);
        var pending = new List<Task>();
        try
        {
            while (await receive(cancellation) is { } request)
            {
                foreach (var one in Settlements(request))
                {
                    Func<Task<MemberEvent.Settled>> settle = one switch
                    {
                        MemberRequest.Ack ack => () => AckAsync(ack, cancellation),
                        MemberRequest.Nack nack => () => NackAsync(nack, cancellation),
                        MemberRequest.Join => throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                            $"this stream already joined group '{_consumer.Group}' of queue '{_consumer.Queue}'; send ack, nack or settle"),
                        _ => throw new DataPlaneException(DataPlaneFailure.InvalidArgument, "a Consume request must carry join, ack, nack or settle"),
                    };
                    await slots.WaitAsync(cancellation);
                    pending.Add(SettleOneAsync(settle, slots, cancellation));
                }

                pending.RemoveAll(t => t.IsCompletedSuccessfully);
                if (pending.Find(t => t.IsCompleted) is { } failed)
                {
                    await failed;
                }
            }
        }
        catch
        {
            // Every settlement started ends before the member is disposed; the first failure is the one reported.
            await Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        await Task.WhenAll(pending);
    }

    /// <summary>The acks and nacks of a request: itself, or the entries of a <c>settle</c> (at most max_in_flight of them).</summary>
    private IReadOnlyList<MemberRequest> Settlements(MemberRequest request)
    {
        if (request is not MemberRequest.Many { Settlements: var many })
        {
            return [request];
        }

        return many.Count <= _maxInFlight
            ? many
            : throw new DataPlaneException(DataPlaneFailure.InvalidArgument, string.Create(CultureInfo.InvariantCulture,
                $"settle carries {many.Count} acks and nacks; at most max_in_flight ({_maxInFlight})"));
    }

    private async Task SettleOneAsync(Func<Task<MemberEvent.Settled>> settle, SemaphoreSlim slots, CancellationToken cancellation)
    {
        try
        {
            await _outbox.Writer.WriteAsync(await settle(), cancellation);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<MemberEvent.Settled> AckAsync(MemberRequest.Ack ack, CancellationToken cancellation)
    {
        _limits.CheckKey(ack.MessageId, "ack.message_id");
        try
        {
            var ok = await BackendCalls.RunAsync("queue.ack", _route, () => _consumer.AckAsync(ack.MessageId, cancellation), _consumer.Queue);
            return new MemberEvent.Settled(ack.MessageId, ok);
        }
        finally
        {
            _route.Session.Record(ack.MessageId.Length, 0, _time.GetUtcNow());
        }
    }

    private async Task<MemberEvent.Settled> NackAsync(MemberRequest.Nack nack, CancellationToken cancellation)
    {
        _limits.CheckKey(nack.MessageId, "nack.message_id");
        if (nack.DelayMs < 0 || nack.DelayMs > QueueOperations.MaxNackDelay.TotalMilliseconds)
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument, string.Create(CultureInfo.InvariantCulture,
                $"nack.delay_ms must be between 0 and {(long)QueueOperations.MaxNackDelay.TotalMilliseconds}, not {nack.DelayMs}"));
        }

        try
        {
            var ok = await BackendCalls.RunAsync("queue.nack", _route,
                () => _consumer.NackAsync(nack.MessageId, TimeSpan.FromMilliseconds(nack.DelayMs), nack.Error, cancellation), _consumer.Queue);
            return new MemberEvent.Settled(nack.MessageId, ok);
        }
        finally
        {
            _route.Session.Record(nack.MessageId.Length + nack.Error.Length, 0, _time.GetUtcNow());
        }
    }
}
