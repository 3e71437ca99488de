using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

/// <summary>
/// The rules every versioned noun (namespace, config, backend) shares: create at version 1, replace
/// only at the version the caller read (the result is version + 1, created by/at kept), delete at a
/// version or any (0), keyset pages by name, and the audit entry in the same transaction.
/// </summary>
public sealed partial class ControlStore
{
    private async Task<TRecord?> GetVersionedAsync<TRow, TRecord>(VersionedNoun<TRow, TRecord> noun, string name, CancellationToken cancellationToken)
        where TRow : VersionedRow
    {
        await using var context = database.CreateContext();
        var row = await noun.Set(context).AsNoTracking().FirstOrDefaultAsync(r => r.Name == name, cancellationToken);
        return row is null ? default : noun.ToRecord(row);
    }

    private async Task<Page<TRecord>> ListVersionedAsync<TRow, TRecord>(VersionedNoun<TRow, TRecord> noun, PageRequest page, CancellationToken cancellationToken)
        where TRow : VersionedRow
    {
        var size = PageSize(page);
        await using var context = database.CreateContext();
        var query = noun.Set(context).AsNoTracking();
        if (page.AfterKey is { } after)
        {
            query = query.Where(r => r.Name.CompareTo(after) > 0);
        }

        var rows = await query.OrderBy(r => r.Name).Take(size + 1).ToListAsync(cancellationToken);
        return ToPage(rows, size, r => r.Name, noun.ToRecord);
    }

    private Task<TRecord> CreateVersionedAsync<TRow, TRecord>(VersionedNoun<TRow, TRecord> noun, TRecord record, AuditRecord audit, CancellationToken cancellationToken)
        where TRow : VersionedRow
        where TRecord : IVersionedRecord
    {
        ArgumentNullException.ThrowIfNull(record);
        return MutateAsync(audit, context => InsertVersionedAsync(context, noun, record, cancellationToken), cancellationToken);
    }

    private Task<TRecord> UpdateVersionedAsync<TRow, TRecord>(VersionedNoun<TRow, TRecord> noun, TRecord record, AuditRecord audit, CancellationToken cancellationToken)
        where TRow : VersionedRow
        where TRecord : IVersionedRecord
    {
        ArgumentNullException.ThrowIfNull(record);
        return MutateAsync(audit, context => ReplaceVersionedAsync(context, noun, record, cancellationToken), cancellationToken);
    }

    /// <summary>Inside a transaction: adds <paramref name="record"/> at version 1.</summary>
    private async Task<TRecord> InsertVersionedAsync<TRow, TRecord>(ControlStoreContext context, VersionedNoun<TRow, TRecord> noun, TRecord record, CancellationToken cancellationToken)
        where TRow : VersionedRow
        where TRecord : IVersionedRecord
    {
        var row = noun.ToRow(record);
        row.Version = 1;
        noun.Set(context).Add(row);
        await SaveNewAsync(context, noun.Resource, record.Name, cancellationToken);
        return noun.ToRecord(row);
    }

    /// <summary>Inside a transaction: replaces the row at <paramref name="record"/>'s version; the result has version + 1.</summary>
    private static async Task<TRecord> ReplaceVersionedAsync<TRow, TRecord>(ControlStoreContext context, VersionedNoun<TRow, TRecord> noun, TRecord record, CancellationToken cancellationToken)
        where TRow : VersionedRow
        where TRecord : IVersionedRecord
    {
        var row = await FindVersionedAsync(context, noun, record.Name, record.Version, cancellationToken);
        var next = noun.ToRow(record);
        next.Version = row.Version + 1;
        next.CreatedBy = row.CreatedBy;
        next.CreatedAt = row.CreatedAt;
        context.Entry(row).CurrentValues.SetValues(next);
        await SaveVersionedAsync(context, noun.Resource, record.Name, record.Version,
            () => VersionOfAsync(context, noun, record.Name, cancellationToken), cancellationToken);
        return noun.ToRecord(row);
    }

    /// <summary>Deletes at <paramref name="expectedVersion"/> (0: any); <paramref name="guard"/> runs in the transaction first and may refuse.</summary>
    private Task<bool> DeleteVersionedAsync<TRow, TRecord>(
        VersionedNoun<TRow, TRecord> noun, string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken,
        Func<ControlStoreContext, Task>? guard = null)
        where TRow : VersionedRow =>
        MutateAsync(audit, async context =>
        {
            if (guard is not null)
            {
                await guard(context);
            }

            var row = await FindVersionedAsync(context, noun, name, expectedVersion, cancellationToken);
            noun.Set(context).Remove(row);
            await SaveVersionedAsync(context, noun.Resource, name, row.Version,
                () => VersionOfAsync(context, noun, name, cancellationToken), cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>The tracked row at <paramref name="expectedVersion"/> (0: any version).</summary>
    private static async Task<TRow> FindVersionedAsync<TRow, TRecord>(
        ControlStoreContext context, VersionedNoun<TRow, TRecord> noun, string name, long expectedVersion, CancellationToken cancellationToken)
        where TRow : VersionedRow
    {
        var row = await noun.Set(context).FirstOrDefaultAsync(r => r.Name == name, cancellationToken)
            ?? throw new ResourceNotFoundException(noun.Resource, name);
        return expectedVersion == 0 || row.Version == expectedVersion
            ? row
            : throw new VersionConflictException(noun.Resource, name, expectedVersion, row.Version);
    }

    private static Task<long?> VersionOfAsync<TRow, TRecord>(ControlStoreContext context, VersionedNoun<TRow, TRecord> noun, string name, CancellationToken cancellationToken)
        where TRow : VersionedRow =>
        noun.Set(context).AsNoTracking().Where(r => r.Name == name).Select(r => (long?)r.Version).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>A versioned noun: its resource type (in errors and audit), its table and its row mapping.</summary>
internal sealed record VersionedNoun<TRow, TRecord>(
    string Resource,
    Func<ControlStoreContext, DbSet<TRow>> Set,
    Func<TRecord, TRow> ToRow,
    Func<TRow, TRecord> ToRecord)
    where TRow : VersionedRow;

/// <summary>A record stored with optimistic versioning.</summary>
public interface IVersionedRecord
{
    /// <summary>Unique name.</summary>
    string Name { get; }

    /// <summary>Stored version; updates send the one they read.</summary>
    long Version { get; }
}
