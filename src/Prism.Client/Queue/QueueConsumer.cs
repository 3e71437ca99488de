using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Prism.Interfaces.Queue;

namespace Prism.Client;

/// <summary>
/// A member of a consumer group: one Consume stream. Read messages with <see cref="ReadAllAsync"/>,
/// settle each with <see cref="AckAsync"/> or <see cref="NackAsync"/>; disposing leaves the group
/// (unsettled messages go to another member after their visibility timeout).
/// </summary>
public sealed class QueueConsumer : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<ConsumeRequest, ConsumeResponse> _call;
    private readonly Activity? _span;
    private readonly Channel<QueueMessage> _messages = Channel.CreateUnbounded<QueueMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _settling = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
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
            await _writeLock.WaitAsync(cancellation);
            try
            {
                await _call.RequestStream.WriteAsync(request, cancellation);
            }
            finally
            {
                _writeLock.Release();
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
                if (response.EventCase == ConsumeResponse.EventOneofCase.Message)
                {
                    await _messages.Writer.WriteAsync(response.Message, _stop.Token);
                }
                else if (response.EventCase == ConsumeResponse.EventOneofCase.Settled && _settling.TryGetValue(response.Settled.MessageId, out var waiting))
                {
                    waiting.TrySetResult(response.Settled.Ok);
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
        _ended = failure ?? new PrismClientException("the consume stream ended before the message was settled");
        foreach (var waiting in _settling.Values)
        {
            waiting.TrySetException(_ended);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _writeLock.WaitAsync();
            try
            {
                await _call.RequestStream.CompleteAsync();
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or ObjectDisposedException)
        {
            // The stream is already gone.
        }

        await _stop.CancelAsync();
        await _reader;
        _call.Dispose();
        _span?.Dispose();
        _stop.Dispose();
        _writeLock.Dispose();
    }
}
