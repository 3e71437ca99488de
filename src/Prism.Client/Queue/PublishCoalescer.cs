using System.Diagnostics;
using Grpc.Core;
using Prism.Interfaces.Queue;

namespace Prism.Client;

/// <summary>
/// Sends the publishes of concurrent callers together, as engine clients pipeline their commands. A publish
/// made while no call is under way goes at once as a plain <c>Publish</c>, so a lone caller pays no wait; one
/// made while a call is under way waits, and the next call to finish carries every waiting publish (up to
/// <see cref="PrismClientOptions.PublishBatchSize"/> entries) as one batch. Further calls, up to
/// <see cref="PrismClientOptions.PublishCallsInFlight"/>, start only for a full batch: a partial one waits
/// for the call under way, as one call carrying more messages costs both ends less CPU than several carrying
/// fewer. A batched publish keeps its own span, whose context travels in its entry's <c>traceparent</c>.
/// </summary>
internal sealed class PublishCoalescer(
    int callsInFlight,
    int batchSize,
    Func<QueuePublishRequest, CancellationToken, Task<string>> publish,
    Func<QueuePublishBatchRequest, Task<QueuePublishBatchResponse>> publishBatch,
    Func<Activity?> startSpan)
{
    /// <summary>Payload bytes of one batch at most, so a batch stays well under the proxy's request limit.</summary>
    private const int BatchBytes = 1024 * 1024;

    /// <summary>How long the next batch waits for the callers of the last to publish again.</summary>
    private static readonly TimeSpan CallersTurn = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly Queue<Waiting> _waiting = new();
    private int _calls;
    private int _batchSize = batchSize;

    public async Task<string> PublishAsync(QueuePublishRequest request, CancellationToken cancellation)
    {
        Waiting? waiting = null;
        var fullBatch = false;
        lock (_gate)
        {
            if (_calls == 0)
            {
                _calls++;
            }
            else
            {
                var own = startSpan();
                if (own is not null)
                {
                    request.Traceparent = own.Id;
                    request.Tracestate = own.TraceStateString ?? "";
                }

                waiting = new Waiting(request, own);
                _waiting.Enqueue(waiting);
                if (_calls < callsInFlight && _waiting.Count >= _batchSize)
                {
                    _calls++;
                    fullBatch = true;
                }
            }
        }

        if (fullBatch)
        {
            SendBatches(Take());
        }

        if (waiting is null)
        {
            try
            {
                return await publish(request, cancellation);
            }
            finally
            {
                SendWaiting();
            }
        }

        using var span = waiting.Span;
        // A caller that gives up while waiting is skipped when the batch is made; once sent, its message may be stored anyway.
        await using var registration = cancellation.Register(() => waiting.Done.TrySetCanceled(cancellation));
        try
        {
            return await waiting.Done.Task;
        }
        catch (RpcException e)
        {
            span?.SetTag("rpc.grpc.status_code", (int)e.StatusCode);
            span?.SetStatus(ActivityStatusCode.Error, e.StatusCode.ToString());
            throw;
        }
    }

    /// <summary>A call finished: its slot carries what waits, else is freed.</summary>
    private void SendWaiting() => SendBatches(Take());

    /// <summary>Sends <paramref name="batch"/>, then what waits, on the slot it holds (freed when nothing does).</summary>
    private void SendBatches(List<Waiting>? batch)
    {
        if (batch is null)
        {
            return;
        }

        // The batch call belongs to no caller: its span must not become a child of the caller whose call just ended.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => SendBatchesAsync(batch));
        }
    }

    private async Task SendBatchesAsync(List<Waiting>? batch)
    {
        for (; batch is not null; batch = Take())
        {
            var request = new QueuePublishBatchRequest();
            request.Messages.AddRange(batch.Select(w => w.Request));
            Answer answer;
            try
            {
                answer = new Answer(batch, await publishBatch(request), null);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
            {
                // The batch itself was refused (more entries than the proxy's PRISM_PROXY_MAX_BATCH_ITEMS): send these one
                // by one, and smaller batches from now on.
                _batchSize = Math.Max(1, batch.Count / 2);
                await Task.WhenAll(batch.Select(SendAloneAsync));
                continue;
            }
            catch (Exception e)
            {
                answer = new Answer(batch, null, e);
            }

            // The callers' continuations (typically: their next publish) run on this thread once this method yields, and the next
            // batch is taken after them, so it carries their publishes. Callers that take longer (one may block) are left to it,
            // and another thread answers the rest.
            ThreadPool.UnsafeQueueUserWorkItem(answer, preferLocal: true);
            try
            {
                await answer.Given.Task.WaitAsync(CallersTurn);
            }
            catch (TimeoutException)
            {
                ThreadPool.UnsafeQueueUserWorkItem(answer, preferLocal: false);
            }
        }
    }

    private async Task SendAloneAsync(Waiting waiting)
    {
        try
        {
            waiting.Done.TrySetResult(await publish(waiting.Request, CancellationToken.None));
        }
        catch (Exception e)
        {
            waiting.Done.TrySetException(e);
        }
    }

    /// <summary>The proxy names an entry's field as <c>messages[i].field</c>; the caller published one message, so its error names <c>field</c>.</summary>
    private static string OwnField(string error) =>
        error.StartsWith("messages[", StringComparison.Ordinal) && error.IndexOf("].", StringComparison.Ordinal) is > 0 and var end ? error[(end + 2)..] : error;

    /// <summary>
    /// The next batch of waiting publishes (callers that gave up left out), or null after freeing the call slot: when
    /// nothing waits, or when what waits is less than a full batch and another call is under way to carry it.
    /// </summary>
    private List<Waiting>? Take()
    {
        lock (_gate)
        {
            if (_calls > 1 && _waiting.Count < _batchSize)
            {
                _calls--;
                return null;
            }

            List<Waiting>? batch = null;
            long bytes = 0;
            while (_waiting.TryPeek(out var next) && (batch is null || (batch.Count < _batchSize && bytes + next.Request.Payload.Length <= BatchBytes)))
            {
                _waiting.Dequeue();
                if (next.Done.Task.IsCompleted)
                {
                    continue;
                }

                (batch ??= []).Add(next);
                bytes += next.Request.Payload.Length;
            }

            if (batch is null)
            {
                _calls--;
            }

            return batch;
        }
    }

    private sealed record Waiting(QueuePublishRequest Request, Activity? Span)
    {
        /// <summary>Completed by an <see cref="Answer"/>, which runs the caller's continuation.</summary>
        public TaskCompletionSource<string> Done { get; } = new();
    }

    /// <summary>
    /// Gives a batch's callers their results, running their continuations in turn on one thread: one hand-off
    /// per batch instead of one per caller, which on a busy machine costs more CPU than the rest of a publish.
    /// Any number of threads may run it at once, each answering the callers no other has taken.
    /// </summary>
    private sealed class Answer(List<Waiting> batch, QueuePublishBatchResponse? response, Exception? failure) : IThreadPoolWorkItem
    {
        private int _taken = -1;
        private int _given;

        /// <summary>Completed once every caller's continuation has run (or yielded).</summary>
        public TaskCompletionSource Given { get; } = new();

        public void Execute()
        {
            for (var i = Interlocked.Increment(ref _taken); i < batch.Count; i = Interlocked.Increment(ref _taken))
            {
                Give(i);
                if (Interlocked.Increment(ref _given) == batch.Count)
                {
                    Given.TrySetResult();
                }
            }
        }

        private void Give(int i)
        {
            if (failure is not null)
            {
                batch[i].Done.TrySetException(failure);
                return;
            }

            var result = i < response!.Results.Count ? response.Results[i] : new QueuePublishResult { Error = "no result", Code = (int)StatusCode.Internal };
            if (result.Error.Length == 0)
            {
                batch[i].Done.TrySetResult(result.MessageId);
            }
            else
            {
                batch[i].Done.TrySetException(new RpcException(new Status((StatusCode)result.Code, OwnField(result.Error))));
            }
        }
    }
}
