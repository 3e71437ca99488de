using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.ControlStore;

namespace Prism.Proxy.Credentials;

/// <summary>The sweep: what dead proxies left, and principals no lease accounts for.</summary>
internal sealed partial class LeaseKeeper
{
    /// <summary>Revokes abandoned leases and backend principals without a lease.</summary>
    public async Task SweepAsync(CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var mine = Live().Select(l => l.Record.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var lease in await store.AbandonedLeasesAsync(now, now - options.LeaseHolderTimeout, cancellation))
        {
            if (!mine.Contains(lease.Id))
            {
                await RevokeAbandonedAsync(lease, lease.ExpiresAt <= now ? "expired" : $"holder {lease.Holder} stopped", cancellation);
            }
        }

        foreach (var backend in backends.All.Where(b => b.Credentials.IsDynamic))
        {
            await RevokeOrphansAsync(backend, cancellation);
        }
    }

    private async Task RevokeAbandonedAsync(LeaseRecord lease, string reason, CancellationToken cancellation)
    {
        BackendInstance? backend;
        try
        {
            backend = await backends.ResolveAsync(lease.Backend, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            LogRevokeFailed(logger, lease.Id, lease.Backend, "the backend definition cannot be read");
            return;
        }

        if (backend?.CredentialSource is not { } source)
        {
            // Deleted, or no longer a type that issues: nothing left to revoke on; forget the lease.
            await ForgetAsync(lease, LeaseAudit.For(LeaseAudit.Revoke, Actor, lease, time.GetUtcNow(), reason + "; backend no longer defined"), cancellation);
            return;
        }

        await RevokeOnBackendAsync(lease, source, reason, cancellation);
    }

    private async Task RevokeOrphansAsync(BackendInstance backend, CancellationToken cancellation)
    {
        if (backend.CredentialSource is not { } source)
        {
            return;
        }

        try
        {
            // Principals first, leases second: a lease is recorded before its principal exists, so none is taken for an orphan.
            var issued = await source.ListIssuedAsync(cancellation);
            if (issued.Count == 0)
            {
                return;
            }

            var leased = (await store.ListLeasesAsync(null, cancellation)).Select(l => l.Principal).ToHashSet(StringComparer.Ordinal);
            foreach (var principal in issued.Where(p => !leased.Contains(p)))
            {
                await source.RevokeAsync(principal, cancellation);
                await store.AppendAuditAsync(new AuditRecord(Guid.NewGuid(), time.GetUtcNow(), Actor, [], LeaseAudit.Revoke, "credential_principal", principal,
                    null, null, true, null, "OK", new Dictionary<string, string> { ["backend"] = backend.Name, ["reason"] = "no lease" }), cancellation);
                LogRevoked(logger, "-", principal, backend.Name, "no lease");
            }
        }
        catch (CredentialIssueException e)
        {
            LogRevokeFailed(logger, "-", backend.Name, e.Message);
        }
    }
}
