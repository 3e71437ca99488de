using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    /// <summary>Most entries one audit query returns.</summary>
    public const int MaxAuditLimit = 1000;

    /// <inheritdoc />
    public async Task<AuditRecord> AppendAuditAsync(AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var row = await InsertAuditAsync(context, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return RowMapping.ToRecord(row);
    }

    /// <inheritdoc />
    public async Task AppendAuditBatchAsync(IReadOnlyList<AuditRecord> audits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audits);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        await database.LockAuditOrderAsync(context, cancellationToken);
        context.Audit.AddRange(audits.Select(RowMapping.ToRow));
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Filters are exact matches; <see cref="AuditQuery.Since"/> and <see cref="AuditQuery.Until"/> are both
    /// inclusive. A limit of 0 or less means <see cref="DefaultPageSize"/>, at most <see cref="MaxAuditLimit"/>.
    /// </remarks>
    public async Task<IReadOnlyList<AuditRecord>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var context = database.CreateContext();
        var rows = context.Audit.AsNoTracking().Where(a => a.Sequence > query.AfterSequence);
        if (!string.IsNullOrEmpty(query.Actor))
        {
            rows = rows.Where(a => a.Actor == query.Actor);
        }

        if (!string.IsNullOrEmpty(query.Operation))
        {
            rows = rows.Where(a => a.Operation == query.Operation);
        }

        if (!string.IsNullOrEmpty(query.Namespace))
        {
            rows = rows.Where(a => a.Namespace == query.Namespace);
        }

        if (query.Since is { } since)
        {
            var from = RowMapping.StoreTime(since);
            rows = rows.Where(a => a.Timestamp >= from);
        }

        if (query.Until is { } until)
        {
            var to = RowMapping.StoreTime(until);
            rows = rows.Where(a => a.Timestamp <= to);
        }

        var limit = query.Limit <= 0 ? DefaultPageSize : Math.Min(query.Limit, MaxAuditLimit);
        var ordered = query.NewestFirst ? rows.OrderByDescending(a => a.Sequence) : rows.OrderBy(a => a.Sequence);
        var result = await ordered.Take(limit).ToListAsync(cancellationToken);
        return result.ConvertAll(RowMapping.ToRecord);
    }
}
