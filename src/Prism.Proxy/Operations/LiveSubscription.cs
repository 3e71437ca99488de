using System.Diagnostics;
using System.Runtime.CompilerServices;
using Prism.Backends;
using Prism.Backends.PubSub;
using Prism.Proxy.Routing;
using Prism.Proxy.Sessions;

namespace Prism.Proxy.Operations;

/// <summary>
/// A subscription opened through the data plane: the driver's subscription tied to its session, which
/// can end it (termination, maintenance, drain, shutdown). Read it once, then dispose it.
/// </summary>
internal sealed class LiveSubscription : IAsyncDisposable
{
    private readonly IPubSubSubscription _subscription;
    private readonly DataPlaneRoute _route;
    private readonly SessionStream _stream;
    private readonly CancellationTokenSource _linked;
    private readonly TimeProvider _time;
    private readonly CancellationToken _clientCancellation;

    internal LiveSubscription(IPubSubSubscription subscription, DataPlaneRoute route, SessionStream stream,
        CancellationTokenSource linked, TimeProvider time, CancellationToken clientCancellation)
    {
        _subscription = subscription;
        _route = route;
        _stream = stream;
        _linked = linked;
        _time = time;
        _clientCancellation = clientCancellation;
    }

    /// <summary>The subscriber id (generated when the client sent none).</summary>
    public string SubscriberId => _subscription.SubscriberId;

    /// <summary>
    /// Messages in publish order. Completes when the subscription is ended by unsubscribe or the client;
    /// throws <see cref="DataPlaneException"/> when the session ends it, the subscriber lags
    /// (RESOURCE_EXHAUSTED) or the backend is lost (UNAVAILABLE).
    /// </summary>
    public async IAsyncEnumerable<PubSubMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _linked.Token);
        await using var messages = _subscription.ReadAllAsync(reading.Token).GetAsyncEnumerator(reading.Token);
        while (true)
        {
            if (!await MoveNextAsync(messages))
            {
                yield break;
            }

            _route.Session.RecordDelivery(messages.Current.Payload.Length, _time.GetUtcNow());
            yield return messages.Current;
        }
    }

    /// <summary>
    /// Reads the messages (as <see cref="ReadAllAsync"/>) and hands each to <paramref name="deliver"/>
    /// inside a consumer span (<c>pubsub.deliver</c>) that continues the publisher's trace. The metadata
    /// handed over carries the message's context under reserved keys (<see cref="ContextMetadata"/>).
    /// </summary>
    public async Task DeliverAllAsync(Func<PubSubMessage, CancellationToken, Task> deliver, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        await foreach (var message in ReadAllAsync(cancellation))
        {
            var subscribe = Activity.Current;
            using (var span = MessageTelemetry.StartDelivery(_route, SubscriberId, message))
            {
                try
                {
                    await deliver(message with { Metadata = ContextMetadata.ForSubscriber(message.Metadata, message.Context) }, cancellation);
                }
                catch (Exception e) when (span is not null)
                {
                    span.SetStatus(ActivityStatusCode.Error, e.Message);
                    throw;
                }
            }

            // A span parented by the publisher has no parent object to restore as current when it stops.
            Activity.Current = subscribe;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        _linked.Dispose();
        _stream.Dispose();
    }

    private async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<PubSubMessage> messages)
    {
        try
        {
            if (await messages.MoveNextAsync())
            {
                return true;
            }
        }
        catch (OperationCanceledException) when (EndedBySession is { } reason)
        {
            throw reason;
        }
        catch (SubscriberLaggingException e)
        {
            throw new DataPlaneException(DataPlaneFailure.ResourceExhausted, "subscriber too slow: " + e.Message, e);
        }
        catch (BackendUnavailableException e)
        {
            throw BackendCalls.Unavailable(_route, e);
        }

        return EndedBySession is { } ended ? throw ended : false;
    }

    private DataPlaneException? EndedBySession => _clientCancellation.IsCancellationRequested ? null : _stream.EndReason;
}
