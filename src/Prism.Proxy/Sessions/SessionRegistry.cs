using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Prism.ControlStore;
using Prism.Proxy.Control;
using Prism.Proxy.Credentials;
using Prism.Proxy.Routing;
using Prism.Security;
using Prism.Security.Revocation;
using Prism.Security.Tokens;

namespace Prism.Proxy.Sessions;

/// <summary>
/// The sessions of this proxy, keyed by token fingerprint and namespace. Opening a session checks the
/// store for an earlier termination and records it there; <see cref="FlushAsync"/> writes counters,
/// notices terminations by operators and closes idle sessions.
/// </summary>
internal sealed partial class SessionRegistry(
    ISessionLedger store,
    ControlStateCache control,
    LeaseKeeper leases,
    TokenRevocations revocations,
    ProxyOptions options,
    TimeProvider time,
    ILogger<SessionRegistry> logger)
{
    private readonly ConcurrentDictionary<(string Token, string Namespace), Lazy<Task<ProxySession>>> _sessions = new();

    /// <summary>Sessions held in memory now.</summary>
    public IReadOnlyList<ProxySession> Sessions =>
        [.. _sessions.Values.Where(v => v.IsValueCreated && v.Value.IsCompletedSuccessfully).Select(v => v.Value.Result)];

    /// <summary>
    /// The session of <paramref name="tokenFingerprint"/> in <paramref name="namespace"/>, opened when new.
    /// </summary>
    /// <exception cref="DataPlaneException">The session was terminated (PERMISSION_DENIED), or it is new and the proxy is draining (UNAVAILABLE).</exception>
    public async ValueTask<ProxySession> GetOrOpenAsync(string tokenFingerprint, PrismPrincipal principal, string @namespace, CancellationToken cancellation)
    {
        var key = (tokenFingerprint, @namespace);
        while (true)
        {
            if (_sessions.TryGetValue(key, out var existing))
            {
                var session = await existing.Value;
                switch (session.Status)
                {
                    case SessionStatus.Active:
                        return session;
                    case SessionStatus.Terminated:
                        throw session.TerminatedError();
                    default:
                        // Closed by idleness or a drain meanwhile: forget it and open a new one.
                        _sessions.TryRemove(new KeyValuePair<(string, string), Lazy<Task<ProxySession>>>(key, existing));
                        continue;
                }
            }

            if (control.Current.Drain.Draining)
            {
                throw new DataPlaneException(DataPlaneFailure.Unavailable, control.Current.Drain.Message);
            }

            var opening = new Lazy<Task<ProxySession>>(() => OpenAsync(tokenFingerprint, principal, @namespace));
            if (_sessions.TryAdd(key, opening))
            {
                return Checked(await opening.Value);
            }
        }

        static ProxySession Checked(ProxySession session) =>
            session.Status == SessionStatus.Terminated ? throw session.TerminatedError() : session;
    }

    /// <summary>Ends the streams of every session with <paramref name="reason"/> (maintenance).</summary>
    public void EndStreams(DataPlaneException reason)
    {
        foreach (var session in Sessions)
        {
            session.EndStreams(reason);
        }
    }

    /// <summary>Closes every session (drain deadline, shutdown): streams end with <paramref name="reason"/>, status Closed is written.</summary>
    public async Task CloseAllAsync(DataPlaneException reason, CancellationToken cancellation)
    {
        foreach (var (key, slot) in _sessions)
        {
            if (slot.IsValueCreated && slot.Value.IsCompletedSuccessfully)
            {
                var session = slot.Value.Result;
                session.Close();
                session.EndStreams(reason);
                await WriteAsync(session, cancellation);
                await leases.RevokeSessionAsync(session, "session closed: " + reason.Message, cancellation);
                _sessions.TryRemove(new KeyValuePair<(string, string), Lazy<Task<ProxySession>>>(key, slot));
            }
        }
    }

    /// <summary>Writes changed counters, applies terminations made by operators and closes idle sessions.</summary>
    public async Task FlushAsync(CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        foreach (var (key, slot) in _sessions)
        {
            if (!slot.IsValueCreated || !slot.Value.IsCompletedSuccessfully)
            {
                continue;
            }

            var session = slot.Value.Result;
            var idle = session.OpenStreams == 0 && now - session.LastActivity >= options.SessionIdleTimeout;
            if (idle)
            {
                session.Close();
            }

            await WriteAsync(session, cancellation);
            if (session.Status == SessionStatus.Active)
            {
                await ApplyTerminationAsync(session, cancellation);
                EndStreamsOfRevokedToken(session);
            }

            if (session.Status == SessionStatus.Terminated)
            {
                await leases.RevokeSessionAsync(session, $"session terminated by {session.TerminatedBy ?? "an operator"}", cancellation);
            }
            else if (idle)
            {
                await leases.RevokeSessionAsync(session, "session idle", cancellation);
            }

            if (idle)
            {
                _sessions.TryRemove(new KeyValuePair<(string, string), Lazy<Task<ProxySession>>>(key, slot));
            }
        }
    }

    /// <summary>The session id of a token fingerprint in a namespace on this proxy.</summary>
    internal string SessionId(string tokenFingerprint, string @namespace)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tokenFingerprint}\n{@namespace}\n{options.ProxyId}"));
        return "ses-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    private async Task<ProxySession> OpenAsync(string tokenFingerprint, PrismPrincipal principal, string @namespace)
    {
        var session = new ProxySession(SessionId(tokenFingerprint, @namespace), principal.Actor, principal.ClientId, @namespace, time.GetUtcNow(),
            principal.Subject) { Principal = principal };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            // The same token on the same proxy id may have been terminated before a restart.
            if (await store.GetSessionAsync(session.Id, timeout.Token) is { Status: SessionStatus.Terminated } stored)
            {
                session.Terminate(stored.TerminatedBy, stored.TerminationReason);
                return session;
            }

            await store.UpsertSessionAsync(session.TakeChanges(options.ProxyId)!, timeout.Token);
            LogOpened(logger, session.Id, session.Identity, @namespace);
        }
        catch (Exception e)
        {
            // Serving goes on without the store; the next flush records the session.
            session.MarkDirty();
            LogStoreFailed(logger, e, session.Id);
        }

        return session;
    }

    private async Task WriteAsync(ProxySession session, CancellationToken cancellation)
    {
        if (session.TakeChanges(options.ProxyId) is not { } record)
        {
            return;
        }

        try
        {
            await store.UpsertSessionAsync(record, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            session.MarkDirty();
            LogStoreFailed(logger, e, session.Id);
        }
    }

    // Calls check the token each time; a stream opened before the token was revoked ends here.
    private void EndStreamsOfRevokedToken(ProxySession session)
    {
        if (session.Principal is not { } principal || session.OpenStreams == 0)
        {
            return;
        }

        try
        {
            revocations.Check(principal);
        }
        catch (TokenRejectedException e)
        {
            session.EndStreams(new DataPlaneException(DataPlaneFailure.Unauthenticated, e.Message));
        }
    }

    private async Task ApplyTerminationAsync(ProxySession session, CancellationToken cancellation)
    {
        try
        {
            if (await store.GetSessionAsync(session.Id, cancellation) is { Status: SessionStatus.Terminated } stored)
            {
                session.Terminate(stored.TerminatedBy, stored.TerminationReason);
                LogTerminated(logger, session.Id, stored.TerminatedBy ?? "", stored.TerminationReason ?? "");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            LogStoreFailed(logger, e, session.Id);
        }
    }

    [LoggerMessage(EventId = 8020, EventName = "SessionOpened", Level = LogLevel.Information,
        Message = "Session {SessionId} opened for {Identity} in namespace {Namespace}")]
    private static partial void LogOpened(ILogger logger, string sessionId, string identity, string @namespace);

    [LoggerMessage(EventId = 8021, EventName = "SessionTerminated", Level = LogLevel.Information,
        Message = "Session {SessionId} was terminated by {TerminatedBy}: {Reason}")]
    private static partial void LogTerminated(ILogger logger, string sessionId, string terminatedBy, string reason);

    [LoggerMessage(EventId = 8022, EventName = "SessionStoreFailed", Level = LogLevel.Warning,
        Message = "Recording session {SessionId} in the control store failed; retrying at the next flush")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string sessionId);
}
