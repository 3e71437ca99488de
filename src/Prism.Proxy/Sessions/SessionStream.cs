using Prism.Proxy.Routing;

namespace Prism.Proxy.Sessions;

/// <summary>
/// One open server stream (Subscribe) of a session. The session ends it by cancelling
/// <see cref="Ending"/> after setting <see cref="EndReason"/>, which the stream then reports to its client.
/// </summary>
internal sealed class SessionStream : IDisposable
{
    private readonly CancellationTokenSource _ending = new();
    private readonly Action<SessionStream> _onDispose;
    private DataPlaneException? _endReason;

    internal SessionStream(Action<SessionStream> onDispose) => _onDispose = onDispose;

    /// <summary>Cancelled when the session (or the proxy) ends the stream.</summary>
    public CancellationToken Ending => _ending.Token;

    /// <summary>Why the stream was ended, or null while it runs.</summary>
    public DataPlaneException? EndReason => Volatile.Read(ref _endReason);

    internal void End(DataPlaneException reason)
    {
        if (Interlocked.CompareExchange(ref _endReason, reason, null) is null)
        {
            _ending.Cancel();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _onDispose(this);
        _ending.Dispose();
    }
}
