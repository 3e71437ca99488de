using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    private const string ConfigResource = "config";

    /// <inheritdoc />
    public async Task<ConfigRecord?> GetConfigAsync(string name, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var row = await context.Configs.AsNoTracking().FirstOrDefaultAsync(n => n.Name == name, cancellationToken);
        return row is null ? null : RowMapping.ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<Page<ConfigRecord>> ListConfigsAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var size = PageSize(page);
        await using var context = database.CreateContext();
        var query = context.Configs.AsNoTracking();
        if (page.AfterKey is { } after)
        {
            query = query.Where(n => n.Name.CompareTo(after) > 0);
        }

        var rows = await query.OrderBy(n => n.Name).Take(size + 1).ToListAsync(cancellationToken);
        return ToPage(rows, size, r => r.Name, RowMapping.ToRecord);
    }

    /// <inheritdoc />
    public Task<ConfigRecord> CreateConfigAsync(ConfigRecord record, AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return MutateAsync(audit, async context =>
        {
            var row = RowMapping.ToRow(record with { Version = 1 });
            context.Configs.Add(row);
            await SaveNewAsync(context, ConfigResource, record.Name, cancellationToken);
            return RowMapping.ToRecord(row);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Created by/at keep their stored values whatever <paramref name="record"/> says.</remarks>
    public Task<ConfigRecord> UpdateConfigAsync(ConfigRecord record, AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return MutateAsync(audit, async context =>
        {
            var row = await FindConfigAsync(context, record.Name, record.Version, cancellationToken);
            var next = RowMapping.ToRow(record with { Version = row.Version + 1, CreatedBy = row.CreatedBy, CreatedAt = row.CreatedAt });
            context.Entry(row).CurrentValues.SetValues(next);
            await SaveVersionedAsync(
                context, ConfigResource, record.Name, record.Version, () => ConfigVersionAsync(context, record.Name, cancellationToken), cancellationToken);
            return RowMapping.ToRecord(row);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteConfigAsync(string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken) =>
        MutateAsync(audit, async context =>
        {
            var row = await FindConfigAsync(context, name, expectedVersion, cancellationToken);
            context.Configs.Remove(row);
            await SaveVersionedAsync(
                context, ConfigResource, name, row.Version, () => ConfigVersionAsync(context, name, cancellationToken), cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>The tracked row at <paramref name="expectedVersion"/> (0: any version).</summary>
    private static async Task<ConfigRow> FindConfigAsync(ControlStoreContext context, string name, long expectedVersion, CancellationToken cancellationToken)
    {
        var row = await context.Configs.FirstOrDefaultAsync(n => n.Name == name, cancellationToken)
            ?? throw new ResourceNotFoundException(ConfigResource, name);
        return expectedVersion == 0 || row.Version == expectedVersion
            ? row
            : throw new VersionConflictException(ConfigResource, name, expectedVersion, row.Version);
    }

    private static Task<long?> ConfigVersionAsync(ControlStoreContext context, string name, CancellationToken cancellationToken) =>
        context.Configs.AsNoTracking().Where(n => n.Name == name).Select(n => (long?)n.Version).FirstOrDefaultAsync(cancellationToken);
}
