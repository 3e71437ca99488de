using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    private const string NamespaceResource = "namespace";

    /// <inheritdoc />
    public async Task<NamespaceRecord?> GetNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var row = await context.Namespaces.AsNoTracking().FirstOrDefaultAsync(n => n.Name == name, cancellationToken);
        return row is null ? null : RowMapping.ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<Page<NamespaceRecord>> ListNamespacesAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var size = PageSize(page);
        await using var context = database.CreateContext();
        var query = context.Namespaces.AsNoTracking();
        if (page.AfterKey is { } after)
        {
            query = query.Where(n => n.Name.CompareTo(after) > 0);
        }

        var rows = await query.OrderBy(n => n.Name).Take(size + 1).ToListAsync(cancellationToken);
        return ToPage(rows, size, r => r.Name, RowMapping.ToRecord);
    }

    /// <inheritdoc />
    public Task<NamespaceRecord> CreateNamespaceAsync(NamespaceRecord record, AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return MutateAsync(audit, async context =>
        {
            var row = RowMapping.ToRow(record with { Version = 1 });
            context.Namespaces.Add(row);
            await SaveNewAsync(context, NamespaceResource, record.Name, cancellationToken);
            return RowMapping.ToRecord(row);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Created by/at keep their stored values whatever <paramref name="record"/> says.</remarks>
    public Task<NamespaceRecord> UpdateNamespaceAsync(NamespaceRecord record, AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return MutateAsync(audit, async context =>
        {
            var row = await FindNamespaceAsync(context, record.Name, record.Version, cancellationToken);
            var next = RowMapping.ToRow(record with { Version = row.Version + 1, CreatedBy = row.CreatedBy, CreatedAt = row.CreatedAt });
            context.Entry(row).CurrentValues.SetValues(next);
            await SaveVersionedAsync(
                context, NamespaceResource, record.Name, record.Version, () => NamespaceVersionAsync(context, record.Name, cancellationToken), cancellationToken);
            return RowMapping.ToRecord(row);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteNamespaceAsync(string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken) =>
        MutateAsync(audit, async context =>
        {
            var row = await FindNamespaceAsync(context, name, expectedVersion, cancellationToken);
            context.Namespaces.Remove(row);
            await SaveVersionedAsync(
                context, NamespaceResource, name, row.Version, () => NamespaceVersionAsync(context, name, cancellationToken), cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>The tracked row at <paramref name="expectedVersion"/> (0: any version).</summary>
    private static async Task<NamespaceRow> FindNamespaceAsync(ControlStoreContext context, string name, long expectedVersion, CancellationToken cancellationToken)
    {
        var row = await context.Namespaces.FirstOrDefaultAsync(n => n.Name == name, cancellationToken)
            ?? throw new ResourceNotFoundException(NamespaceResource, name);
        return expectedVersion == 0 || row.Version == expectedVersion
            ? row
            : throw new VersionConflictException(NamespaceResource, name, expectedVersion, row.Version);
    }

    private static Task<long?> NamespaceVersionAsync(ControlStoreContext context, string name, CancellationToken cancellationToken) =>
        context.Namespaces.AsNoTracking().Where(n => n.Name == name).Select(n => (long?)n.Version).FirstOrDefaultAsync(cancellationToken);
}
