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
public sealed class LiveSubscription : IAsyncDisposable
{
    private readonly IPubSubSubscription _subscription;
    private readonly ProxySession _session;
    private readonly SessionStream _stream;
    private readonly CancellationTokenSource _linked;
    private readonly TimeProvider _time;
    private readonly CancellationToken _clientCancellation;

    internal LiveSubscription(IPubSubSubscription subscription, ProxySession session, SessionStream stream,
        CancellationTokenSource linked, TimeProvider time, CancellationToken clientCancellation)
    {
        _subscription = subscription;
        _session = session;
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

            _session.RecordDelivery(messages.Current.Payload.Length, _time.GetUtcNow());
            yield return messages.Current;
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
            throw new DataPlaneException(DataPlaneFailure.Unavailable, e.Message, e);
        }

        return EndedBySession is { } ended ? throw ended : false;
    }

    private DataPlaneException? EndedBySession => _clientCancellation.IsCancellationRequested ? null : _stream.EndReason;
}
