using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Prism.Interfaces.Queue;

namespace Prism.Client;

/// <summary>
/// A member of a consumer group: one Consume stream, joined batched. Read messages with <see cref="ReadAllAsync"/>,
/// settle each with <see cref="AckAsync"/> or <see cref="NackAsync"/>; disposing leaves the group
/// (unsettled messages go to another member after their visibility timeout). Settlements made while the
/// previous request was being written go together in the next one.
/// </summary>
public sealed class QueueConsumer : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<ConsumeRequest, ConsumeResponse> _call;
    private readonly Activity? _span;
    private readonly Channel<QueueMessage> _messages = Channel.CreateUnbounded<QueueMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _settling = new();
    private readonly Channel<ConsumeRequest> _settlements = Channel.CreateUnbounded<ConsumeRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private Task _writer = Task.CompletedTask;
    private volatile Exception? _ended;

    private QueueConsumer(AsyncDuplexStreamingCall<ConsumeRequest, ConsumeResponse> call, Activity? span, Joined joined)
    {
        _call = call;
        _span = span;
        Joined = joined;
    }

    /// <summary>The settings in force, as the proxy answered the join.</summary>
    public Joined Joined { get; }

    internal static async Task<QueueConsumer> JoinAsync(AsyncDuplexStreamingCall<ConsumeRequest, ConsumeResponse> call, Join join, Activity? span, CancellationToken cancellation)
    {
        try
        {
            join.Batched = true;
            await call.RequestStream.WriteAsync(new ConsumeRequest { Join = join }, cancellation);
            if (!await call.ResponseStream.MoveNext(cancellation) || call.ResponseStream.Current.EventCase != ConsumeResponse.EventOneofCase.Joined)
            {
                throw new PrismClientException($"the proxy did not answer the join of group '{join.Group}' on queue '{join.Queue}'");
            }
        }
        catch
        {
            call.Dispose();
            throw;
        }

        var consumer = new QueueConsumer(call, span, call.ResponseStream.Current.Joined);
        consumer._reader = consumer.ReadLoopAsync();
        consumer._writer = consumer.WriteLoopAsync();
        return consumer;
    }

    /// <summary>Messages as they are delivered, until the stream ends or <paramref name="cancellation"/>.</summary>
    public IAsyncEnumerable<QueueMessage> ReadAllAsync(CancellationToken cancellation = default) => _messages.Reader.ReadAllAsync(cancellation);

    /// <summary>Acknowledges a message: done for the group. False when this member no longer holds it.</summary>
    public Task<bool> AckAsync(string messageId, CancellationToken cancellation = default) =>
        SettleAsync(messageId, new ConsumeRequest { Ack = new Ack { MessageId = messageId } }, cancellation);

    /// <summary>Rejects a message: delivered again after <paramref name="delay"/>, or a dead letter once out of retries.</summary>
    public Task<bool> NackAsync(string messageId, TimeSpan delay = default, string? error = null, CancellationToken cancellation = default) =>
        SettleAsync(messageId, new ConsumeRequest { Nack = new Nack { MessageId = messageId, DelayMs = (long)delay.TotalMilliseconds, Error = error ?? "" } }, cancellation);

    private async Task<bool> SettleAsync(string messageId, ConsumeRequest request, CancellationToken cancellation)
    {
        var settled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_settling.TryAdd(messageId, settled))
        {
            throw new InvalidOperationException($"message {messageId} is already being settled");
        }

        // The read loop fails every waiting settle when the stream ends; one added after that sees _ended instead.
        if (_ended is { } ended)
        {
            settled.TrySetException(ended);
        }

        try
        {
            if (!_settlements.Writer.TryWrite(request))
            {
                throw _ended ?? new ObjectDisposedException(nameof(QueueConsumer));
            }

            return await settled.Task.WaitAsync(cancellation);
        }
        finally
        {
            _settling.TryRemove(messageId, out _);
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        try
        {
            while (await _call.ResponseStream.MoveNext(_stop.Token))
            {
                var response = _call.ResponseStream.Current;
                switch (response.EventCase)
                {
                    case ConsumeResponse.EventOneofCase.Message:
                        await _messages.Writer.WriteAsync(response.Message, _stop.Token);
                        break;
                    case ConsumeResponse.EventOneofCase.Settled:
                        Settled(response.Settled);
                        break;
                    case ConsumeResponse.EventOneofCase.Batch:
                        foreach (var message in response.Batch.Messages)
                        {
                            await _messages.Writer.WriteAsync(message, _stop.Token);
                        }

                        foreach (var settled in response.Batch.Settled)
                        {
                            Settled(settled);
                        }

                        break;
                }
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            failure = e;
            _span?.SetStatus(ActivityStatusCode.Error, (e as RpcException)?.StatusCode.ToString() ?? e.GetType().Name);
        }
        catch (Exception)
        {
            // Disposed: the stream ends with it.
        }

        _messages.Writer.TryComplete(failure);
        Fail(failure ?? new PrismClientException("the consume stream ended before the message was settled"));
    }

    private void Settled(Settled settled)
    {
        if (_settling.TryGetValue(settled.MessageId, out var waiting))
        {
            waiting.TrySetResult(settled.Ok);
        }
    }

    /// <summary>Sends the acks and nacks waiting, as many in one request as the member may hold.</summary>
    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _settlements.Reader.WaitToReadAsync())
            {
                var settle = new Settle();
                while (settle.Acks.Count + settle.Nacks.Count < Math.Max(Joined.MaxInFlight, 1) && _settlements.Reader.TryRead(out var request))
                {
                    if (request.ActionCase == ConsumeRequest.ActionOneofCase.Ack)
                    {
                        settle.Acks.Add(request.Ack);
                    }
                    else
                    {
                        settle.Nacks.Add(request.Nack);
                    }
                }

                await _call.RequestStream.WriteAsync(new ConsumeRequest { Settle = settle }, _stop.Token);
            }

            await _call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The stream is gone: the read loop reports why.
            Fail(new PrismClientException("the consume stream ended before the message was settled", e));
        }
    }

    private void Fail(Exception ended)
    {
        _ended ??= ended;
        _settlements.Writer.TryComplete();
        foreach (var waiting in _settling.Values)
        {
            waiting.TrySetException(_ended);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // What is settled already is sent, then the request stream ends.
        _settlements.Writer.TryComplete();
        await _writer;
        await _stop.CancelAsync();
        await _reader;
        _call.Dispose();
        _span?.Dispose();
        _stop.Dispose();
    }
}
