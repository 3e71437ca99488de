using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    /// <inheritdoc />
    public Task RecordLeaseAsync(LeaseRecord lease, AuditRecord audit, CancellationToken cancellationToken) =>
        MutateAsync(audit, async context =>
        {
            ArgumentNullException.ThrowIfNull(lease);
            context.Leases.Add(RowMapping.ToRow(lease));
            await SaveNewAsync(context, "lease", lease.Id, cancellationToken);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> RenewLeaseAsync(string id, DateTimeOffset expiresAt, AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var row = await context.Leases.FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (row is null)
        {
            return false;
        }

        row.ExpiresAt = RowMapping.StoreTime(expiresAt);
        await context.SaveChangesAsync(cancellationToken);
        await InsertAuditAsync(context, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteLeaseAsync(string id, AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        // Several proxies may sweep the same lease: only the one that deletes it writes the entry.
        if (await context.Leases.Where(l => l.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }

        await InsertAuditAsync(context, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeaseRecord>> ListLeasesAsync(IReadOnlyCollection<string>? sessionIds, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var query = context.Leases.AsNoTracking();
        if (sessionIds is not null)
        {
            query = query.Where(l => sessionIds.Contains(l.SessionId));
        }

        var rows = await query.OrderBy(l => l.SessionId).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(RowMapping.ToRecord)];
    }

    /// <inheritdoc />
    public async Task HeartbeatAsync(string holder, string proxyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        await SqlCommands.ExecuteAsync(context, """
            INSERT INTO lease_holders (holder, proxy_id, heartbeat_at) VALUES (@holder, @proxy_id, @now)
            ON CONFLICT (holder) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
            """, cancellationToken, ("@holder", holder), ("@proxy_id", proxyId), ("@now", database.TimeParameter(now)));
    }

    /// <inheritdoc />
    public async Task ReleaseHolderAsync(string holder, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        await context.LeaseHolders.Where(h => h.Holder == holder).ExecuteDeleteAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeaseRecord>> AbandonedLeasesAsync(DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        now = RowMapping.StoreTime(now);
        staleBefore = RowMapping.StoreTime(staleBefore);
        var live = context.LeaseHolders.Where(h => h.HeartbeatAt >= staleBefore).Select(h => h.Holder);
        var rows = await context.Leases.AsNoTracking()
            .Where(l => l.ExpiresAt <= now || !live.Contains(l.Holder))
            .OrderBy(l => l.Id)
            .Take(1000)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(RowMapping.ToRecord)];
    }
}
