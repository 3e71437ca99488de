using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Prism.Backends;
using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.ControlStore;
using Prism.Proxy.Routing;
using Prism.Proxy.Sessions;

namespace Prism.Proxy.Credentials;

/// <summary>
/// The per-session backend credentials of this proxy. A session's first call to an instance in
/// dynamic mode records a lease, issues the credential and opens the session's own pool with it;
/// <see cref="RenewDueAsync"/> renews at half-life (a new credential past the max TTL);
/// <see cref="RevokeSessionAsync"/> closes the pool, removes the credential, then the lease.
/// <see cref="SweepAsync"/> revokes what dead proxies left: expired leases, leases of holders
/// silent past the holder timeout, and backend principals no lease accounts for.
/// </summary>
internal sealed partial class LeaseKeeper(
    IControlStore store,
    BackendDrivers backends,
    ProxyOptions options,
    TimeProvider time,
    ILogger<LeaseKeeper> logger) : IAsyncDisposable
{
    private static readonly TimeSpan IssueTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RotationGrace = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<(ProxySession Session, string Backend), Lazy<Task<SessionLease>>> _leases = new();
    private readonly ConcurrentDictionary<Task, byte> _retiring = new();

    /// <summary>This process as a lease holder: the proxy id and a per-start suffix.</summary>
    public string Holder { get; } = $"{options.ProxyId}/{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>Leases held now.</summary>
    public IReadOnlyList<LeaseRecord> Held => [.. Live().Select(l => l.Record)];

    /// <summary>
    /// Where <paramref name="session"/>'s calls to <paramref name="backend"/> find their drivers: the
    /// instance itself in static mode, else the session's own, issued on first use.
    /// </summary>
    /// <exception cref="DataPlaneException">UNAVAILABLE: the backend refused to issue, or the store cannot record the lease; RESOURCE_EXHAUSTED: max_sessions reached.</exception>
    public async ValueTask<IDriverSource> ConnectAsync(ProxySession session, BackendInstance backend, CancellationToken cancellation)
    {
        if (!backend.Credentials.IsDynamic || backend.CredentialSource is not { } source)
        {
            return backend;
        }

        var key = (session, backend.Name);
        while (true)
        {
            if (_leases.TryGetValue(key, out var existing))
            {
                SessionLease lease;
                try
                {
                    lease = await existing.Value.WaitAsync(cancellation);
                }
                catch (DataPlaneException)
                {
                    // A refused issue is not cached: the next call asks again.
                    _leases.TryRemove(new KeyValuePair<(ProxySession, string), Lazy<Task<SessionLease>>>(key, existing));
                    throw;
                }

                if (ReferenceEquals(lease.Backend, backend))
                {
                    return lease.Drivers;
                }

                // The instance was redefined (new url, new mode): a new credential on the new definition.
                if (_leases.TryRemove(new KeyValuePair<(ProxySession, string), Lazy<Task<SessionLease>>>(key, existing)))
                {
                    Retire(lease, "backend redefined", RotationGrace);
                }

                continue;
            }

            var held = _leases.Keys.Count(k => k.Backend == backend.Name);
            if (held >= backend.Credentials.MaxSessions)
            {
                throw new DataPlaneException(DataPlaneFailure.ResourceExhausted,
                    $"backend '{backend.Name}' already serves {held} sessions with their own credentials on this proxy (max_sessions {backend.Credentials.MaxSessions})");
            }

            var issuing = new Lazy<Task<SessionLease>>(() => IssueAsync(session, backend, source));
            if (_leases.TryAdd(key, issuing))
            {
                try
                {
                    return (await issuing.Value.WaitAsync(cancellation)).Drivers;
                }
                catch (DataPlaneException)
                {
                    _leases.TryRemove(new KeyValuePair<(ProxySession, string), Lazy<Task<SessionLease>>>(key, issuing));
                    throw;
                }
            }
        }
    }

    /// <summary>Revokes every credential of <paramref name="session"/> (closed, idle, terminated, drained).</summary>
    public async Task RevokeSessionAsync(ProxySession session, string reason, CancellationToken cancellation)
    {
        foreach (var (key, slot) in _leases)
        {
            if (ReferenceEquals(key.Session, session) && _leases.TryRemove(new KeyValuePair<(ProxySession, string), Lazy<Task<SessionLease>>>(key, slot)))
            {
                if (await Settled(slot) is { } lease)
                {
                    await RevokeAsync(lease, reason, cancellation);
                }
            }
        }
    }

    /// <summary>Renews the leases at half-life; a lease at its max TTL is replaced by a new one on the session's next call.</summary>
    public async Task RenewDueAsync(CancellationToken cancellation)
    {
        foreach (var (key, slot) in _leases)
        {
            if (!slot.IsValueCreated || !slot.Value.IsCompletedSuccessfully)
            {
                continue;
            }

            var lease = slot.Value.Result;
            var now = time.GetUtcNow();
            if (!lease.RenewalDue(now))
            {
                continue;
            }

            var policy = lease.Backend.Credentials;
            var cap = lease.Record.IssuedAt + policy.LeaseMaxTtl;
            var next = now + policy.LeaseTtl < cap ? now + policy.LeaseTtl : cap;
            if (next - now < policy.LeaseTtl / 2)
            {
                if (_leases.TryRemove(new KeyValuePair<(ProxySession, string), Lazy<Task<SessionLease>>>(key, slot)))
                {
                    Retire(lease, "max TTL reached", RotationGrace < next - now ? RotationGrace : next - now);
                }

                continue;
            }

            if (!await RenewAsync(lease, next, cancellation) && _leases.TryRemove(new KeyValuePair<(ProxySession, string), Lazy<Task<SessionLease>>>(key, slot)))
            {
                // Revoked behind our back (a sweep took this proxy for dead): the next call issues a new one.
                await RevokeAsync(lease, "lease lost", cancellation);
            }
        }
    }

    /// <summary>Records that this proxy is alive.</summary>
    public Task HeartbeatAsync(CancellationToken cancellation) => store.HeartbeatAsync(Holder, options.ProxyId, time.GetUtcNow(), cancellation);

    /// <summary>Revokes every credential this proxy holds (shutdown) and forgets this holder.</summary>
    public async Task RevokeAllAsync(string reason, CancellationToken cancellation)
    {
        foreach (var (key, slot) in _leases)
        {
            if (_leases.TryRemove(new KeyValuePair<(ProxySession, string), Lazy<Task<SessionLease>>>(key, slot)) && await Settled(slot) is { } lease)
            {
                await RevokeAsync(lease, reason, cancellation);
            }
        }

        await Task.WhenAll(_retiring.Keys);
        await store.ReleaseHolderAsync(Holder, cancellation);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var lease in Live())
        {
            await lease.Drivers.DisposeAsync();
        }
    }

    private IEnumerable<SessionLease> Live() =>
        _leases.Values.Where(v => v.IsValueCreated && v.Value.IsCompletedSuccessfully).Select(v => v.Value.Result);

    private static async Task<SessionLease?> Settled(Lazy<Task<SessionLease>> slot)
    {
        try
        {
            return await slot.Value;
        }
        catch (DataPlaneException)
        {
            return null;
        }
    }

    private async Task<SessionLease> IssueAsync(ProxySession session, BackendInstance backend, ICredentialSource source)
    {
        using var timeout = new CancellationTokenSource(IssueTimeout);
        var cancellation = timeout.Token;
        var now = time.GetUtcNow();
        var id = CredentialNames.NewLeaseId();
        var record = new LeaseRecord(id, session.Id, backend.Name, session.Namespace, source.PrincipalOf(id), Holder, options.ProxyId,
            now, now + backend.Credentials.LeaseTtl);
        using var activity = Start("credential.issue", record);
        try
        {
            await store.RecordLeaseAsync(record, LeaseAudit.For(LeaseAudit.Issue, session.Identity, record, now), cancellation);
        }
        catch (Exception e) when (e is not DataPlaneException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "lease not recorded");
            throw new DataPlaneException(DataPlaneFailure.Unavailable,
                $"backend '{backend.Name}' needs a per-session credential and the control store cannot record its lease", e);
        }

        SessionCredential credential;
        try
        {
            credential = await source.IssueAsync(new CredentialRequest(id, session.Namespace, record.ExpiresAt), cancellation);
        }
        catch (Exception e) when (e is CredentialIssueException or OperationCanceledException)
        {
            var reason = e is CredentialIssueException ? e.Message : "issue timed out";
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            await ForgetAsync(record, LeaseAudit.For(LeaseAudit.Issue, session.Identity, record, time.GetUtcNow(), error: reason), CancellationToken.None);
            throw new DataPlaneException(DataPlaneFailure.Unavailable,
                $"backend '{backend.Name}' refused a credential for namespace '{session.Namespace}': {reason}", e);
        }

        var lease = new SessionLease(record, backend, source, backend.OpenAs(credential), now);
        LogIssued(logger, record.Id, record.Principal, backend.Name, session.Id, record.ExpiresAt);
        if (session.Status != SessionStatus.Active)
        {
            // Closed or terminated while issuing: nothing may keep a credential for it.
            await RevokeAsync(lease, "session ended while issuing", CancellationToken.None);
            throw new DataPlaneException(DataPlaneFailure.Unavailable, $"session {session.Id} ended");
        }

        return lease;
    }

    private async Task<bool> RenewAsync(SessionLease lease, DateTimeOffset expiresAt, CancellationToken cancellation)
    {
        var record = lease.Record with { ExpiresAt = expiresAt };
        using var activity = Start("credential.renew", record);
        try
        {
            await lease.Source.RenewAsync(record.Principal, expiresAt, cancellation);
            if (!await store.RenewLeaseAsync(record.Id, expiresAt, LeaseAudit.For(LeaseAudit.Renew, Actor, record, time.GetUtcNow()), cancellation))
            {
                activity?.SetStatus(ActivityStatusCode.Error, "lease no longer recorded");
                return false;
            }

            lease.Renewed(time.GetUtcNow(), expiresAt);
            return true;
        }
        catch (CredentialIssueException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogRenewFailed(logger, record.Id, record.Backend, e.Message);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            // Store or backend briefly away: the credential still has half its life; the next tick tries again.
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            LogRenewFailed(logger, record.Id, record.Backend, e.GetType().Name);
            return true;
        }
    }

    private void Retire(SessionLease lease, string reason, TimeSpan grace)
    {
        var retiring = RetireAsync(lease, reason, grace);
        _retiring[retiring] = 0;
        _ = retiring.ContinueWith(t => _retiring.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task RetireAsync(SessionLease lease, string reason, TimeSpan grace)
    {
        // Calls already under way on the old pool finish first.
        await Task.Delay(grace, time);
        await RevokeAsync(lease, reason, CancellationToken.None);
    }

    private async Task RevokeAsync(SessionLease lease, string reason, CancellationToken cancellation)
    {
        await lease.Drivers.DisposeAsync();
        await RevokeOnBackendAsync(lease.Record, lease.Source, reason, cancellation);
    }

    private async Task RevokeOnBackendAsync(LeaseRecord lease, ICredentialSource source, string reason, CancellationToken cancellation)
    {
        using var activity = Start("credential.revoke", lease);
        activity?.SetTag("prism.reason", reason);
        try
        {
            await source.RevokeAsync(lease.Principal, cancellation);
        }
        catch (CredentialIssueException e)
        {
            // The lease stays recorded: the sweep tries again, and the backend's own expiry is the second line.
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogRevokeFailed(logger, lease.Id, lease.Backend, e.Message);
            return;
        }

        await ForgetAsync(lease, LeaseAudit.For(LeaseAudit.Revoke, Actor, lease, time.GetUtcNow(), reason), cancellation);
        LogRevoked(logger, lease.Id, lease.Principal, lease.Backend, reason);
    }

    private async Task ForgetAsync(LeaseRecord lease, AuditRecord audit, CancellationToken cancellation)
    {
        try
        {
            await store.DeleteLeaseAsync(lease.Id, audit, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            // Left recorded: a sweep finds it once it expires and deletes it then.
            LogRevokeFailed(logger, lease.Id, lease.Backend, "the control store did not record the revocation");
        }
    }

    private string Actor => "proxy:" + options.ProxyId;

    private static Activity? Start(string name, LeaseRecord lease)
    {
        var activity = ProxyTelemetry.ActivitySource.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag("prism.backend", lease.Backend);
        activity?.SetTag("prism.namespace", lease.Namespace);
        activity?.SetTag("prism.session_id", lease.SessionId);
        activity?.SetTag("prism.lease_id", lease.Id);
        activity?.SetTag("prism.principal", lease.Principal);
        return activity;
    }

    [LoggerMessage(EventId = 8040, EventName = "CredentialIssued", Level = LogLevel.Information,
        Message = "Credential lease {LeaseId} issued: {Principal} on backend {Backend} for session {SessionId}, until {ExpiresAt:O}")]
    private static partial void LogIssued(ILogger logger, string leaseId, string principal, string backend, string sessionId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 8041, EventName = "CredentialRevoked", Level = LogLevel.Information,
        Message = "Credential lease {LeaseId} revoked: {Principal} on backend {Backend} ({Reason})")]
    private static partial void LogRevoked(ILogger logger, string leaseId, string principal, string backend, string reason);

    [LoggerMessage(EventId = 8042, EventName = "CredentialRenewFailed", Level = LogLevel.Warning,
        Message = "Credential lease {LeaseId} on backend {Backend} was not renewed: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string leaseId, string backend, string reason);

    [LoggerMessage(EventId = 8043, EventName = "CredentialRevokeFailed", Level = LogLevel.Warning,
        Message = "Credential lease {LeaseId} on backend {Backend} was not revoked yet: {Reason}; the sweep tries again")]
    private static partial void LogRevokeFailed(ILogger logger, string leaseId, string backend, string reason);
}
