using System.Diagnostics;
using System.Globalization;
using Prism.Backends;
using Prism.Backends.Queue;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>
/// A member of a consumer group joined through the data plane: hands the driver's messages to the
/// client and the client's acks and nacks to the driver, over one stream. It buffers nothing of its own:
/// the next message is read from the driver only once the previous one is written, and the driver holds
/// at most <see cref="ConsumeOptions.MaxInFlight"/> unsettled. Disposing it leaves the group.
/// </summary>
internal sealed class QueueMember : IAsyncDisposable
{
    private readonly IQueueConsumer _consumer;
    private readonly DataPlaneRoute _route;
    private readonly RequestLimits _limits;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sending = new(1, 1);

    internal QueueMember(IQueueConsumer consumer, DataPlaneRoute route, RequestLimits limits, TimeProvider time)
    {
        _consumer = consumer;
        _route = route;
        _limits = limits;
        _time = time;
    }

    /// <summary>Acks and nacks of one member in progress at once, at most.</summary>
    private const int ConcurrentSettlements = 64;

    /// <summary>
    /// Sends <paramref name="joined"/>, then delivers messages and settles requests until one side ends: the
    /// client finishes sending (a normal end), or a request is refused, the backend is lost or
    /// <paramref name="cancellation"/> fires (the exception is thrown).
    /// </summary>
    public async Task RunAsync(MemberEvent.Joined joined, Func<CancellationToken, Task<MemberRequest?>> receive,
        Func<MemberEvent, CancellationToken, Task> send, CancellationToken cancellation)
    {
        await SendAsync(send, joined, cancellation);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var deliveries = DeliverAllAsync(send, stopping.Token);
        var settlements = SettleAllAsync(receive, send, stopping.Token);
        var first = await Task.WhenAny(deliveries, settlements);
        await stopping.CancelAsync();
        try
        {
            await (first == deliveries ? settlements : deliveries);
        }
        catch (Exception)
        {
            // Stopped because the first one ended: its outcome is the stream's.
        }

        await first;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _consumer.DisposeAsync();
        _sending.Dispose();
    }

    private async Task DeliverAllAsync(Func<MemberEvent, CancellationToken, Task> send, CancellationToken cancellation)
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
                    await SendAsync(send, new MemberEvent.Delivered(message with
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
    private async Task SettleAllAsync(Func<CancellationToken, Task<MemberRequest?>> receive, Func<MemberEvent, CancellationToken, Task> send,
        CancellationToken cancellation)
    {
        using var slots = new SemaphoreSlim(ConcurrentSettlements);
        var pending = new List<Task>();
        try
        {
            while (await receive(cancellation) is { } request)
            {
                Func<Task<MemberEvent.Settled>> settle = request switch
                {
                    MemberRequest.Ack ack => () => AckAsync(ack, cancellation),
                    MemberRequest.Nack nack => () => NackAsync(nack, cancellation),
                    MemberRequest.Join => throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                        $"this stream already joined group '{_consumer.Group}' of queue '{_consumer.Queue}'; send ack or nack"),
                    _ => throw new DataPlaneException(DataPlaneFailure.InvalidArgument, "a Consume request must carry join, ack or nack"),
                };
                await slots.WaitAsync(cancellation);
                pending.Add(SettleOneAsync(settle, slots, send, cancellation));
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

    private async Task SettleOneAsync(Func<Task<MemberEvent.Settled>> settle, SemaphoreSlim slots, Func<MemberEvent, CancellationToken, Task> send,
        CancellationToken cancellation)
    {
        try
        {
            await SendAsync(send, await settle(), cancellation);
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

    // The transport takes one write at a time; deliveries and settlements share it.
    private async Task SendAsync(Func<MemberEvent, CancellationToken, Task> send, MemberEvent @event, CancellationToken cancellation)
    {
        await _sending.WaitAsync(cancellation);
        try
        {
            await send(@event, cancellation);
        }
        finally
        {
            _sending.Release();
        }
    }
}
