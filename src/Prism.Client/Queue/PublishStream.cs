using Grpc.Core;
using Prism.Interfaces.Queue;

namespace Prism.Client;

/// <summary>
/// Batches sent on one <c>PublishStream</c> call instead of a call each: a batch is written and its answer is
/// the next response (the proxy answers in order). Opened at the first batch; if it fails, the batches it
/// had not answered fail with its error and the next batch opens another. Closed once nothing was sent
/// for <see cref="IdleClose"/>, so an idle client holds no stream (nor keeps its session open).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never asked for holds nothing to dispose.")]
internal sealed class PublishStream(Func<Task<(AsyncDuplexStreamingCall<QueuePublishBatchRequest, QueuePublishBatchResponse> Call, IDisposable? Span)>> open)
{
    /// <summary>How long a stream stays open with nothing to answer and nothing sent.</summary>
    internal static readonly TimeSpan IdleClose = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _writing = new(1, 1);
    private Open? _current;

    /// <summary>Sends <paramref name="batch"/> and returns the proxy's answer; throws what ended the stream before it.</summary>
    public async Task<QueuePublishBatchResponse> SendAsync(QueuePublishBatchRequest batch)
    {
        var answer = new TaskCompletionSource<QueuePublishBatchResponse>();
        await _writing.WaitAsync();
        try
        {
            var stream = _current ??= await OpenAsync();
            stream.Expect(answer);
            try
            {
                await stream.Call.RequestStream.WriteAsync(batch);
                stream.LastSent = Environment.TickCount64;
            }
            catch (Exception e)
            {
                // This batch and every one not yet answered fail with the write's error; the next batch opens another stream.
                stream.End(e);
                _current = null;
            }
        }
        finally
        {
            _writing.Release();
        }

        return await answer.Task;
    }

    private async Task<Open> OpenAsync()
    {
        var (call, span) = await open();
        var stream = new Open(call, span);
        _ = ReadAsync(stream);
        return stream;
    }

    private async Task ReadAsync(Open stream)
    {
        Exception ended = new PrismClientException("the publish stream ended before answering");
        try
        {
            while (await stream.Call.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (stream.Answered(stream.Call.ResponseStream.Current) == 0)
                {
                    _ = CloseIfIdleAsync(stream);
                }
            }
        }
        catch (Exception e)
        {
            ended = e;
        }

        await _writing.WaitAsync();
        try
        {
            Interlocked.CompareExchange(ref _current, null, stream);
        }
        finally
        {
            _writing.Release();
        }

        stream.End(ended);
        stream.Call.Dispose();
        stream.Span?.Dispose();
    }

    private async Task CloseIfIdleAsync(Open stream)
    {
        if (Interlocked.Exchange(ref stream.IdleCheck, 1) == 1)
        {
            return;
        }

        while (true)
        {
            await Task.Delay(IdleClose);
            await _writing.WaitAsync();
            try
            {
                var idleFor = Environment.TickCount64 - stream.LastSent;
                if (stream.Waiting > 0 || idleFor < IdleClose.TotalMilliseconds)
                {
                    continue;
                }

                if (_current == stream)
                {
                    _current = null;
                    await stream.Call.RequestStream.CompleteAsync();
                }

                return;
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or ObjectDisposedException)
            {
                // Already ended: the read loop has seen why.
                return;
            }
            finally
            {
                _writing.Release();
            }
        }
    }

    /// <summary>One open call and the answers it owes, in the order of the batches.</summary>
    private sealed class Open(AsyncDuplexStreamingCall<QueuePublishBatchRequest, QueuePublishBatchResponse> call, IDisposable? span)
    {
        private readonly Queue<TaskCompletionSource<QueuePublishBatchResponse>> _expected = new();
        private Exception? _ended;
        public int IdleCheck;

        public AsyncDuplexStreamingCall<QueuePublishBatchRequest, QueuePublishBatchResponse> Call => call;

        public IDisposable? Span => span;

        public long LastSent { get; set; } = Environment.TickCount64;

        public int Waiting
        {
            get
            {
                lock (_expected)
                {
                    return _expected.Count;
                }
            }
        }

        public void Expect(TaskCompletionSource<QueuePublishBatchResponse> answer)
        {
            lock (_expected)
            {
                if (_ended is not null)
                {
                    answer.TrySetException(_ended);
                    return;
                }

                _expected.Enqueue(answer);
            }
        }

        /// <summary>Gives the oldest batch its answer; returns how many remain.</summary>
        public int Answered(QueuePublishBatchResponse response)
        {
            TaskCompletionSource<QueuePublishBatchResponse>? answer;
            int remaining;
            lock (_expected)
            {
                _expected.TryDequeue(out answer);
                remaining = _expected.Count;
            }

            answer?.TrySetResult(response);
            return remaining;
        }

        public void End(Exception ended)
        {
            List<TaskCompletionSource<QueuePublishBatchResponse>> owed;
            lock (_expected)
            {
                _ended ??= ended;
                owed = [.. _expected];
                _expected.Clear();
            }

            foreach (var answer in owed)
            {
                answer.TrySetException(_ended);
            }
        }
    }
}
