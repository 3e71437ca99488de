using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Prism.Backends;
using Prism.Backends.Queue;
using Prism.ControlStore;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>
/// Queue calls of the data plane, free of gRPC: publish, and consumer streams that join a group, receive
/// messages and settle them. A member leaves its group when its stream ends: the client finishes or
/// cancels it, a request is refused, or the session ends it (termination, maintenance, drain, shutdown).
/// Messages it still held go to another member after their visibility timeout.
/// </summary>
internal sealed class QueueOperations(DataPlaneRouter router, RequestLimits limits, TimeProvider time)
{
    /// <summary>Longest W3C tracestate (its specification's limit).</summary>
    private const int MaxTraceStateLength = 512;

    /// <summary>Longest nack delay a member may ask for.</summary>
    public static readonly TimeSpan MaxNackDelay = TimeSpan.FromHours(12);

    /// <summary>
    /// Stores a message and returns its id once the backend has it. The message carries the caller's
    /// context (identity, session, namespace, and the publish's trace context: the one it names, else
    /// this call's); reserved metadata keys (<see cref="ContextMetadata.IsReserved"/>) are dropped. A
    /// non-empty idempotency key makes a repeated publish store nothing and answer the first message's id.
    /// </summary>
    public async Task<string> PublishAsync(DataPlaneCaller caller, QueuePublish publish, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var (route, driver) = await OpenAsync(caller, cancellation);
        CheckPublish(route, publish, "");
        try
        {
            return await BackendCalls.RunAsync("queue.publish", route, () =>
            {
                var entry = EntryOf(route, publish);
                return driver.EnqueueAsync(route.Namespace.Name, publish.Queue, entry.Payload, entry.Metadata, entry.Context, entry.IdempotencyKey, cancellation);
            }, publish.Queue);
        }
        finally
        {
            route.Session.Record(publish.Size, 0, time.GetUtcNow());
        }
    }

    /// <summary>
    /// Stores every entry as <see cref="PublishAsync(DataPlaneCaller, QueuePublish, CancellationToken)"/> would,
    /// the entries of each queue in one driver call (<see cref="IQueue.EnqueueBatchAsync"/>), the queues
    /// concurrently: one result per entry, in order. An entry refused for what it carries gets its own
    /// error; a failure of the call (routing, the backend) fails it whole, some entries possibly stored.
    /// </summary>
    public async Task<IReadOnlyList<PublishOutcome>> PublishBatchAsync(DataPlaneCaller caller, IReadOnlyList<QueuePublish> batch,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (route, driver) = await OpenAsync(caller, cancellation);
        limits.CheckBatch(batch.Count);
        var results = new PublishOutcome[batch.Count];
        var valid = new List<int>(batch.Count);
        long bytes = 0;
        try
        {
            return await BackendCalls.RunAsync("queue.publish_batch", route, async () =>
            {
                Activity.Current?.SetTag("messaging.batch.message_count", batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    try
                    {
                        CheckPublish(route, batch[i], $"messages[{i}].");
                        bytes += batch[i].Size;
                        valid.Add(i);
                    }
                    catch (DataPlaneException e) when (e.Failure == DataPlaneFailure.InvalidArgument)
                    {
                        results[i] = PublishOutcome.Refused(e.Message);
                    }
                }

                var stores = valid.GroupBy(i => batch[i].Queue, StringComparer.Ordinal)
                    .Select(queue => (Entries: queue.ToArray(),
                        Store: driver.EnqueueBatchAsync(route.Namespace.Name, queue.Key, [.. queue.Select(i => EntryOf(route, batch[i]))], cancellation)))
                    .ToArray();
                // Every store is awaited before the first failure is thrown, so none is left running unobserved.
                await Task.WhenAll(stores.Select(s => (Task)s.Store)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                foreach (var (entries, store) in stores)
                {
                    var ids = await store;
                    for (var j = 0; j < entries.Length; j++)
                    {
                        results[entries[j]] = PublishOutcome.Stored(ids[j]);
                    }
                }

                return (IReadOnlyList<PublishOutcome>)results;
            });
        }
        finally
        {
            route.Session.Record(bytes, 0, time.GetUtcNow());
        }
    }

    private void CheckPublish(DataPlaneRoute route, QueuePublish publish, string field)
    {
        limits.CheckKey(publish.Queue, field + "queue");
        limits.CheckValue(publish.Payload.Length, route.Namespace, field + "payload");
        if (publish.IdempotencyKey is { } key)
        {
            limits.CheckKey(key, field + "idempotency_key");
        }

        if (publish.TraceState is { Length: > MaxTraceStateLength })
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"{field}tracestate is {publish.TraceState.Length} characters; W3C allows {MaxTraceStateLength}"));
        }

        // A tracestate without a traceparent is as malformed as a bad traceparent.
        if ((publish.TraceParent is not null || publish.TraceState is not null)
            && (publish.TraceParent is null || !ActivityContext.TryParse(publish.TraceParent, publish.TraceState, out _)))
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                $"{field}traceparent is not a W3C traceparent (00-<32 hex trace id>-<16 hex span id>-<2 hex flags>) with a valid tracestate");
        }
    }

    /// <summary>
    /// What the driver stores for <paramref name="publish"/>; make it inside the publish span, whose context
    /// the message carries unless it names its own.
    /// </summary>
    private static QueueEntry EntryOf(DataPlaneRoute route, QueuePublish publish)
    {
        var context = MessageTelemetry.ContextOf(route);
        if (publish.TraceParent is not null)
        {
            context = context with { TraceParent = publish.TraceParent, TraceState = publish.TraceState };
        }

        return new QueueEntry(publish.Payload, ContextMetadata.WithoutReserved(publish.Metadata), context, publish.IdempotencyKey);
    }

    /// <summary>
    /// Runs one consumer stream until it ends. The first request from <paramref name="receive"/> (null: the
    /// client finished sending) must be a join; then <paramref name="send"/> gets <see cref="MemberEvent.Joined"/>,
    /// the member's messages, and one <see cref="MemberEvent.Settled"/> per ack or nack, one event at a time.
    /// </summary>
    /// <exception cref="DataPlaneException">The call is refused, a request is invalid, the backend is lost, or the session ended the stream.</exception>
    public async Task ConsumeAsync(DataPlaneCaller caller, Func<CancellationToken, Task<MemberRequest?>> receive,
        Func<IReadOnlyList<MemberEvent>, CancellationToken, Task> send, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(receive);
        var (route, driver) = await OpenAsync(caller, cancellation);
        var stream = route.Session.OpenStream();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, stream.Ending);
        try
        {
            var first = await receive(linked.Token);
            if (first is null)
            {
                return;
            }

            if (first is not MemberRequest.Join { Options: var join })
            {
                throw new DataPlaneException(DataPlaneFailure.InvalidArgument, "the first request on a Consume stream must be join");
            }

            limits.CheckKey(join.Queue, "queue");
            limits.CheckKey(join.Group, "group");
            var consumerId = join.ConsumerId.Length > 0 ? join.ConsumerId : "member-" + Guid.NewGuid().ToString("N");
            limits.CheckKey(consumerId, "consumer_id");
            var options = OptionsFor(route.Namespace, join);
            route.Session.Record(join.Queue.Length + join.Group.Length + consumerId.Length, 0, time.GetUtcNow());

            var consumer = await BackendCalls.RunAsync("queue.consume", route,
                () => driver.ConsumeAsync(route.Namespace.Name, join.Queue, join.Group, consumerId, options, linked.Token), join.Queue);
            await using var member = new QueueMember(consumer, options, route, limits, time);
            await member.RunAsync(new MemberEvent.Joined(join.Queue, join.Group, consumerId, options, join.Batched), receive, send, linked.Token);
        }
        catch (OperationCanceledException) when (stream.EndReason is { } reason && !cancellation.IsCancellationRequested)
        {
            throw reason;
        }
        finally
        {
            stream.Dispose();
        }
    }

    /// <summary>
    /// Publishes the batches a stream carries, each as <see cref="PublishBatchAsync"/> (routed again, so a
    /// refusal applies from the next batch), up to <see cref="PipelinedBatches"/> at once, answered in the
    /// order received. The stream counts in the session and ends with it. A batch failing as a whole ends the
    /// stream with its error.
    /// </summary>
    public async Task PublishStreamAsync(DataPlaneCaller caller, Func<CancellationToken, Task<IReadOnlyList<QueuePublish>?>> receive,
        Func<IReadOnlyList<PublishOutcome>, CancellationToken, Task> send, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(receive);
        ArgumentNullException.ThrowIfNull(send);
        var (route, _) = await OpenAsync(caller, cancellation);
        var stream = route.Session.OpenStream();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, stream.Ending);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var answers = Channel.CreateBounded<Task<IReadOnlyList<PublishOutcome>>>(PipelinedBatches);
        var reading = ReadBatchesAsync(caller, receive, answers.Writer, stopReading.Token);
        try
        {
            await foreach (var answer in answers.Reader.ReadAllAsync(linked.Token))
            {
                await send(await answer, linked.Token);
            }
        }
        catch (OperationCanceledException) when (stream.EndReason is { } reason && !cancellation.IsCancellationRequested)
        {
            throw reason;
        }
        finally
        {
            await stopReading.CancelAsync();
            await reading;
            stream.Dispose();
        }
    }

    /// <summary>Batches of one publish stream being stored at once, at most; further requests wait to be read.</summary>
    internal const int PipelinedBatches = 8;

    private async Task ReadBatchesAsync(DataPlaneCaller caller, Func<CancellationToken, Task<IReadOnlyList<QueuePublish>?>> receive,
        ChannelWriter<Task<IReadOnlyList<PublishOutcome>>> answers, CancellationToken cancellation)
    {
        Exception? failure = null;
        try
        {
            while (await receive(cancellation) is { } batch)
            {
                await answers.WriteAsync(PublishBatchAsync(caller, batch, cancellation), cancellation);
            }
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            failure = e;
        }
        catch (OperationCanceledException)
        {
            // The answers ended first: their outcome is the stream's.
        }

        answers.TryComplete(failure);
    }

    /// <summary>
    /// The options a member joining with <paramref name="join"/> consumes with: what it asked for; where it
    /// asked nothing (zero; for max_retries: null), the namespace's queue settings, read at each join so a
    /// change applies to the next member; else <see cref="ConsumeOptions.Default"/>.
    /// </summary>
    /// <exception cref="DataPlaneException">An option is out of range (INVALID_ARGUMENT naming its field).</exception>
    internal static ConsumeOptions OptionsFor(NamespaceRecord @namespace, QueueJoin join)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(join);
        var fallback = ConsumeOptions.Default;
        var settings = @namespace.Queue;
        var defaults = new ConsumeOptions
        {
            MaxInFlight = settings.MaxInFlight ?? fallback.MaxInFlight,
            VisibilityTimeout = settings.VisibilityTimeout ?? fallback.VisibilityTimeout,
            MaxRetries = settings.MaxRetries ?? fallback.MaxRetries,
        };
        Check("max_in_flight", join.MaxInFlight, 1, 10_000, zeroIsDefault: true);
        Check("visibility_timeout_ms", join.VisibilityTimeoutMs, 100, (long)TimeSpan.FromHours(12).TotalMilliseconds, zeroIsDefault: true);
        Check("max_retries", join.MaxRetries ?? 0, 0, 1_000, zeroIsDefault: false);
        var options = new ConsumeOptions
        {
            MaxInFlight = join.MaxInFlight == 0 ? defaults.MaxInFlight : join.MaxInFlight,
            VisibilityTimeout = join.VisibilityTimeoutMs == 0 ? defaults.VisibilityTimeout : TimeSpan.FromMilliseconds(join.VisibilityTimeoutMs),
            MaxRetries = join.MaxRetries ?? defaults.MaxRetries,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument, e.Message, e);
        }

        return options;
    }

    private static void Check(string field, long value, long min, long max, bool zeroIsDefault)
    {
        if ((value != 0 || !zeroIsDefault) && (value < min || value > max))
        {
            var range = string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}");
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"{field} must be {range}{(zeroIsDefault ? " (0: the default)" : "")}, not {value}"));
        }
    }

    private async Task<(DataPlaneRoute Route, IQueue Queue)> OpenAsync(DataPlaneCaller caller, CancellationToken cancellation)
    {
        var route = await router.RouteAsync(caller, Patterns.Queue, cancellation);
        var queue = BackendCalls.Driver<IQueue>(route, Patterns.Queue);
        return queue.Capabilities.Contains(Capabilities.QueueBasic)
            ? (route, queue)
            : throw BackendCalls.MissingCapability(route.Backend.Name, Capabilities.QueueBasic);
    }
}
