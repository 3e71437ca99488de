using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Prism.Interfaces.Queue;

namespace Prism.Proxy.Tests.Support;

/// <summary>
/// One Consume stream in a test: joins, then reads messages and settlements as they come, each read
/// with a timeout. Settle one message at a time (an ack waits for its <c>settled</c>).
/// </summary>
public sealed class QueueMember : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<ConsumeRequest, ConsumeResponse> _call;
    private readonly CancellationTokenSource _cancel;
    private readonly TaskCompletionSource<Joined> _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<QueueMessage> _messages = Channel.CreateUnbounded<QueueMessage>();
    private readonly Channel<Settled> _settled = Channel.CreateUnbounded<Settled>();
    private readonly Task<RpcException?> _reading;

    private QueueMember(AsyncDuplexStreamingCall<ConsumeRequest, ConsumeResponse> call, CancellationTokenSource cancel)
    {
        _call = call;
        _cancel = cancel;
        _reading = ReadAsync();
    }

    /// <summary>What the proxy answered to the join.</summary>
    public Joined Joined { get; private set; } = null!;

    /// <summary>Events received after <c>joined</c>, by kind (message, settled, batch).</summary>
    public ConcurrentDictionary<ConsumeResponse.EventOneofCase, int> Events { get; } = new();

    /// <summary>Opens a stream, sends <paramref name="join"/> and waits for <c>joined</c>; throws the RpcException of a refusal.</summary>
    public static async Task<QueueMember> JoinAsync(QueueBasicInterface.QueueBasicInterfaceClient client, CallOptions options, Join join)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        var member = new QueueMember(client.Consume(options.WithCancellationToken(cancel.Token)), cancel);
        try
        {
            await member._call.RequestStream.WriteAsync(new ConsumeRequest { Join = join }).WaitAsync(Timeouts.Await);
            member.Joined = await member._joined.Task.WaitAsync(Timeouts.Await);
            return member;
        }
        catch
        {
            await member.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a raw request (no waiting for an answer).</summary>
    public Task SendAsync(ConsumeRequest request) => _call.RequestStream.WriteAsync(request).WaitAsync(Timeouts.Await);

    /// <summary>The next message; fails if the stream ends or nothing comes in time.</summary>
    public async Task<QueueMessage> NextAsync(TimeSpan? within = null)
    {
        Assert.True(await _messages.Reader.WaitToReadAsync().AsTask().WaitAsync(within ?? Timeouts.Await), "the stream ended");
        return await _messages.Reader.ReadAsync();
    }

    /// <summary>The next <paramref name="count"/> messages.</summary>
    public async Task<List<QueueMessage>> NextAsync(int count)
    {
        var messages = new List<QueueMessage>(count);
        for (var i = 0; i < count; i++)
        {
            messages.Add(await NextAsync());
        }

        return messages;
    }

    /// <summary>The next message if one arrives within <paramref name="wait"/>, else null.</summary>
    public async Task<QueueMessage?> TryNextAsync(TimeSpan wait)
    {
        try
        {
            await _messages.Reader.WaitToReadAsync().AsTask().WaitAsync(wait);
        }
        catch (TimeoutException)
        {
        }

        return _messages.Reader.TryRead(out var message) ? message : null;
    }

    /// <summary>Acknowledges and returns the settlement's <c>ok</c>.</summary>
    public async Task<bool> AckAsync(string messageId)
    {
        await SendAsync(new ConsumeRequest { Ack = new Ack { MessageId = messageId } });
        return await SettledAsync(messageId);
    }

    /// <summary>Settles several messages in one <c>settle</c> request; returns each one's <c>ok</c> by message id.</summary>
    public async Task<Dictionary<string, bool>> SettleAsync(IEnumerable<string> acks, IEnumerable<string> nacks)
    {
        var settle = new Settle();
        settle.Acks.AddRange(acks.Select(id => new Ack { MessageId = id }));
        settle.Nacks.AddRange(nacks.Select(id => new Nack { MessageId = id, Error = "failed" }));
        await SendAsync(new ConsumeRequest { Settle = settle });
        var outcomes = new Dictionary<string, bool>();
        while (outcomes.Count < settle.Acks.Count + settle.Nacks.Count)
        {
            Assert.True(await _settled.Reader.WaitToReadAsync().AsTask().WaitAsync(Timeouts.Await), "the stream ended before settled");
            var settled = await _settled.Reader.ReadAsync();
            outcomes.Add(settled.MessageId, settled.Ok);
        }

        return outcomes;
    }

    /// <summary>Rejects and returns the settlement's <c>ok</c>.</summary>
    public async Task<bool> NackAsync(string messageId, long delayMs = 0, string error = "")
    {
        await SendAsync(new ConsumeRequest { Nack = new Nack { MessageId = messageId, DelayMs = delayMs, Error = error } });
        return await SettledAsync(messageId);
    }

    /// <summary>The error the stream ended with, or null when it ended normally.</summary>
    public Task<RpcException?> EndAsync() => _reading.WaitAsync(Timeouts.Await);

    /// <summary>Finishes sending (the proxy ends the stream normally).</summary>
    public Task CompleteAsync() => _call.RequestStream.CompleteAsync().WaitAsync(Timeouts.Await);

    /// <summary>Cancels the call, as a client that goes away.</summary>
    public Task CancelAsync() => _cancel.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        try
        {
            await _reading.WaitAsync(Timeouts.Await);
        }
        finally
        {
            _call.Dispose();
            _cancel.Dispose();
        }
    }

    /// <summary>A publish request.</summary>
    public static QueuePublishRequest Message(string queue, string payload, string idempotencyKey = "") =>
        new() { Queue = queue, Payload = ByteString.CopyFromUtf8(payload), IdempotencyKey = idempotencyKey };

    private async Task<bool> SettledAsync(string messageId)
    {
        Assert.True(await _settled.Reader.WaitToReadAsync().AsTask().WaitAsync(Timeouts.Await), "the stream ended before settled");
        var settled = await _settled.Reader.ReadAsync();
        Assert.Equal(messageId, settled.MessageId);
        return settled.Ok;
    }

    private async Task<RpcException?> ReadAsync()
    {
        RpcException? failure = null;
        try
        {
            while (await _call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var response = _call.ResponseStream.Current;
                if (response.EventCase != ConsumeResponse.EventOneofCase.Joined)
                {
                    Events.AddOrUpdate(response.EventCase, 1, (_, count) => count + 1);
                }

                switch (response.EventCase)
                {
                    case ConsumeResponse.EventOneofCase.Joined:
                        _joined.TrySetResult(response.Joined);
                        break;
                    case ConsumeResponse.EventOneofCase.Message:
                        _messages.Writer.TryWrite(response.Message);
                        break;
                    case ConsumeResponse.EventOneofCase.Settled:
                        _settled.Writer.TryWrite(response.Settled);
                        break;
                    case ConsumeResponse.EventOneofCase.Batch:
                        foreach (var message in response.Batch.Messages)
                        {
                            _messages.Writer.TryWrite(message);
                        }

                        foreach (var settled in response.Batch.Settled)
                        {
                            _settled.Writer.TryWrite(settled);
                        }

                        break;
                }
            }
        }
        catch (RpcException e)
        {
            failure = e;
        }

        _joined.TrySetException(failure is null ? new InvalidOperationException("the stream ended before joined") : failure);
        _messages.Writer.TryComplete();
        _settled.Writer.TryComplete();
        return failure;
    }
}
