using System.Collections.Concurrent;
using Prism.ControlStore;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Sessions;

/// <summary>
/// One token × namespace on this proxy: counters kept in memory (flushed to the control store by
/// <see cref="SessionRegistry"/>), open streams, and whether an operator terminated it.
/// </summary>
internal sealed class ProxySession
{
    private readonly ConcurrentDictionary<SessionStream, byte> _streams = new();
    private readonly Lock _statusLock = new();
    private long _requests;
    private long _bytesIn;
    private long _bytesOut;
    private long _lastActivityTicks;
    private long _flushedRequests = -1;
    private long _flushedBytesOut = -1;
    private SessionStatus _status = SessionStatus.Active;
    private bool _statusDirty = true;

    internal ProxySession(string id, string identity, string? clientId, string @namespace, DateTimeOffset startedAt, string? subject = null)
    {
        Id = id;
        Identity = identity;
        ClientId = clientId;
        Subject = subject;
        Namespace = @namespace;
        StartedAt = startedAt;
        _lastActivityTicks = startedAt.UtcTicks;
    }

    /// <summary>Session id, stable for the same token, namespace and proxy id.</summary>
    public string Id { get; }

    /// <summary>The caller: e-mail, else client id, else subject.</summary>
    public string Identity { get; }

    /// <summary>The token's client id, when present.</summary>
    public string? ClientId { get; }

    /// <summary>The token's subject (<c>sub</c>), when present.</summary>
    public string? Subject { get; }

    /// <summary>The caller the session was opened for; its token is re-checked for revocation at every flush.</summary>
    public Security.PrismPrincipal? Principal { get; init; }

    /// <summary>The namespace used.</summary>
    public string Namespace { get; }

    /// <summary>When this proxy first saw the session.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Current status.</summary>
    public SessionStatus Status
    {
        get
        {
            lock (_statusLock)
            {
                return _status;
            }
        }
    }

    /// <summary>Operator who terminated the session, when terminated.</summary>
    public string? TerminatedBy { get; private set; }

    /// <summary>Operator's reason, when terminated.</summary>
    public string? TerminationReason { get; private set; }

    /// <summary>Number of streams open now.</summary>
    public int OpenStreams => _streams.Count;

    /// <summary>Time of the last call or delivered message.</summary>
    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    /// <summary>The refusal of a call on a terminated session.</summary>
    public DataPlaneException TerminatedError() =>
        new(DataPlaneFailure.PermissionDenied, $"session {Id} terminated by {TerminatedBy ?? "an operator"}: {TerminationReason ?? "no reason given"}") { Actor = Identity };

    /// <summary>Counts one call and the payload bytes it carried each way.</summary>
    public void Record(long bytesIn, long bytesOut, DateTimeOffset now)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytesIn, bytesIn);
        Interlocked.Add(ref _bytesOut, bytesOut);
        Interlocked.Exchange(ref _lastActivityTicks, now.UtcTicks);
    }

    /// <summary>Counts a message delivered on a stream.</summary>
    public void RecordDelivery(long bytesOut, DateTimeOffset now)
    {
        Interlocked.Add(ref _bytesOut, bytesOut);
        Interlocked.Exchange(ref _lastActivityTicks, now.UtcTicks);
    }

    /// <summary>Registers a stream that the session can end.</summary>
    public SessionStream OpenStream()
    {
        var stream = new SessionStream(s => _streams.TryRemove(s, out _));
        _streams[stream] = 0;
        if (Status == SessionStatus.Terminated)
        {
            stream.End(TerminatedError());
        }

        return stream;
    }

    /// <summary>Ends every open stream with <paramref name="reason"/>; the session stays usable.</summary>
    public void EndStreams(DataPlaneException reason)
    {
        foreach (var stream in _streams.Keys)
        {
            stream.End(reason);
        }
    }

    /// <summary>Marks the session terminated by an operator and ends its streams.</summary>
    public void Terminate(string? terminatedBy, string? reason)
    {
        lock (_statusLock)
        {
            if (_status == SessionStatus.Terminated)
            {
                return;
            }

            TerminatedBy = terminatedBy;
            TerminationReason = reason;
            _status = SessionStatus.Terminated;
        }

        EndStreams(TerminatedError());
    }

    /// <summary>Marks the session closed (idle, drained or proxy shutdown); a terminated session stays terminated.</summary>
    public void Close()
    {
        lock (_statusLock)
        {
            if (_status == SessionStatus.Active)
            {
                _status = SessionStatus.Closed;
                _statusDirty = true;
            }
        }
    }

    /// <summary>The record to write, or null when nothing changed since the last flush.</summary>
    internal SessionRecord? TakeChanges(string proxyId)
    {
        var requests = Interlocked.Read(ref _requests);
        var bytesOut = Interlocked.Read(ref _bytesOut);
        lock (_statusLock)
        {
            if (!_statusDirty && requests == _flushedRequests && bytesOut == _flushedBytesOut)
            {
                return null;
            }

            _statusDirty = false;
            _flushedRequests = requests;
            _flushedBytesOut = bytesOut;
            return new SessionRecord(Id, Identity, ClientId, Namespace, proxyId, _status, StartedAt, LastActivity,
                requests, Interlocked.Read(ref _bytesIn), bytesOut, TerminatedBy, TerminationReason);
        }
    }

    /// <summary>Forces the next flush to write the session (after a failed write).</summary>
    internal void MarkDirty()
    {
        lock (_statusLock)
        {
            _statusDirty = true;
        }
    }
}
