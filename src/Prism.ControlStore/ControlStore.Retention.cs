using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    /// <summary>Rows one delete statement removes, so a large prune never holds a long write lock.</summary>
    internal const int PruneBatchSize = 5000;

    /// <inheritdoc />
    /// <remarks>
    /// Each limit names the oldest rows to delete from what is stored at the start, so two processes
    /// pruning at once delete the same rows and never more. Sessions holding a credential lease are kept.
    /// </remarks>
    public async Task<PruneOutcome> PruneAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var audit = await PruneAuditAsync(policy, now, cancellationToken);
        var sessions = await PruneSessionsAsync(policy, now, cancellationToken);
        if (audit + sessions > 0)
        {
            StoreLog.Pruned(logger, database.Provider, database.Location, audit, sessions);
        }

        return new PruneOutcome(audit, sessions);
    }

    private async Task<long> PruneAuditAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var before = policy.AuditAge > TimeSpan.Zero ? RowMapping.StoreTime(now - policy.AuditAge) : DateTimeOffset.MinValue;
        var upTo = policy.AuditMaxRows > 0
            ? await context.Audit.OrderByDescending(a => a.Sequence).Skip(policy.AuditMaxRows).Select(a => a.Sequence).FirstOrDefaultAsync(cancellationToken)
            : 0;
        var expired = policy.AuditAge > TimeSpan.Zero
            ? context.Audit.Where(a => a.Timestamp < before || a.Sequence <= upTo)
            : context.Audit.Where(a => a.Sequence <= upTo);
        return await DeleteInBatchesAsync(() =>
        {
            var batch = expired.OrderBy(a => a.Sequence).Take(PruneBatchSize).Select(a => a.Sequence);
            return context.Audit.Where(a => batch.Contains(a.Sequence)).ExecuteDeleteAsync(cancellationToken);
        });
    }

    private async Task<long> PruneSessionsAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var byAge = policy.SessionAge > TimeSpan.Zero;
        var before = byAge ? RowMapping.StoreTime(now - policy.SessionAge) : DateTimeOffset.MinValue;

        // The newest row past the count limit: it and everything older (by last activity, then id) goes.
        var edge = policy.SessionMaxRows > 0
            ? await context.Sessions.OrderByDescending(s => s.LastActivity).ThenByDescending(s => s.Id)
                .Skip(policy.SessionMaxRows).Select(s => new { s.LastActivity, s.Id }).FirstOrDefaultAsync(cancellationToken)
            : null;
        var byCount = edge is not null;
        var edgeTime = edge?.LastActivity ?? DateTimeOffset.MinValue;
        var edgeId = edge?.Id ?? "";
        var expired = context.Sessions.Where(s =>
            !context.Leases.Any(l => l.SessionId == s.Id)
            && ((byAge && s.LastActivity < before)
                || (byCount && (s.LastActivity < edgeTime || (s.LastActivity == edgeTime && s.Id.CompareTo(edgeId) <= 0)))));
        return await DeleteInBatchesAsync(() =>
        {
            var batch = expired.OrderBy(s => s.Id).Take(PruneBatchSize).Select(s => s.Id);
            return context.Sessions.Where(s => batch.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        });
    }

    private static async Task<long> DeleteInBatchesAsync(Func<Task<int>> deleteBatch)
    {
        long total = 0;
        int deleted;
        do
        {
            deleted = await deleteBatch();
            total += deleted;
        }
        while (deleted >= PruneBatchSize);
        return total;
    }

    /// <inheritdoc />
    public async Task<StoreStatistics> StatisticsAsync(CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var namespaces = await context.Namespaces.LongCountAsync(cancellationToken);
        var configs = await context.Configs.LongCountAsync(cancellationToken);
        var byProxy = await context.Sessions.AsNoTracking()
            .Where(s => s.Status == (int)SessionStatus.Active)
            .GroupBy(s => s.ProxyId)
            .Select(g => new { Proxy = g.Key, Count = g.LongCount(), Requests = g.Sum(s => s.Requests), BytesIn = g.Sum(s => s.BytesIn), BytesOut = g.Sum(s => s.BytesOut) })
            .ToListAsync(cancellationToken);
        return new StoreStatistics(
            namespaces,
            configs,
            byProxy.Sum(p => p.Count),
            byProxy.Sum(p => p.Requests),
            byProxy.Sum(p => p.BytesIn),
            byProxy.Sum(p => p.BytesOut),
            byProxy.ToDictionary(p => p.Proxy, p => p.Count, StringComparer.Ordinal));
    }
}
