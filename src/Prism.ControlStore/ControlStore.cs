using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

/// <summary>
/// <see cref="IControlStore"/> on EF Core over an <see cref="ControlDatabase"/> (SQLite or PostgreSQL).
/// Each call uses its own short-lived context; each mutation runs in one transaction that ends
/// with the audit insert, so the change and its entry commit together or not at all.
/// </summary>
public sealed partial class ControlStore(ControlDatabase database, ILogger<ControlStore> logger) : IControlStore
{
    /// <summary>Page size used when a request asks for 0 or less.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Largest page a list call returns, whatever the request asks.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The database this store reads and writes.</summary>
    public ControlDatabase Database => database;

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var outcome = await SchemaMigrator.RunAsync(database, cancellationToken);
        foreach (var migration in outcome.Applied)
        {
            StoreLog.SchemaMigrated(logger, database.Provider, database.Location, migration.Version, migration.Name);
        }

        if (outcome.NewerThanCode)
        {
            StoreLog.SchemaNewer(logger, database.Provider, database.Location, outcome.SchemaVersion, database.Migrations.Max(m => m.Version));
        }

        StoreLog.SchemaReady(logger, database.Provider, database.Location, outcome.SchemaVersion);
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var context = database.CreateContext();
            return await context.Control.AsNoTracking().AnyAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StoreLog.PingFailed(logger, database.Provider, database.Location, e.GetType().Name, e.Message);
            return false;
        }
    }

    /// <summary>Runs <paramref name="mutation"/> and inserts <paramref name="audit"/> in one transaction.</summary>
    private async Task<T> MutateAsync<T>(AuditRecord audit, Func<ControlStoreContext, Task<T>> mutation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var result = await mutation(context);
        await InsertAuditAsync(context, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<AuditRow> InsertAuditAsync(ControlStoreContext context, AuditRecord audit, CancellationToken cancellationToken)
    {
        await database.LockAuditOrderAsync(context, cancellationToken);
        var row = RowMapping.ToRow(audit);
        context.Audit.Add(row);
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>Saves a new row; a taken key becomes <see cref="ResourceAlreadyExistsException"/>.</summary>
    private async Task SaveNewAsync(ControlStoreContext context, string resourceType, string name, CancellationToken cancellationToken)
    {
        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (database.IsUniqueViolation(e))
        {
            throw new ResourceAlreadyExistsException(resourceType, name);
        }
    }

    /// <summary>
    /// Saves an update or delete guarded by the row's version; when another writer got there first,
    /// reads the version again to tell a conflict from a deletion.
    /// </summary>
    private static async Task SaveVersionedAsync(
        ControlStoreContext context, string resourceType, string name, long expected, Func<Task<long?>> currentVersion, CancellationToken cancellationToken)
    {
        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var actual = await currentVersion();
            throw actual is { } version
                ? new VersionConflictException(resourceType, name, expected, version)
                : new ResourceNotFoundException(resourceType, name);
        }
    }

    private static int PageSize(PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.PageSize <= 0 ? DefaultPageSize : Math.Min(page.PageSize, MaxPageSize);
    }

    /// <summary>Turns <paramref name="size"/> + 1 fetched rows into a page whose last key is set only when more follow.</summary>
    private static Page<TRecord> ToPage<TRow, TRecord>(List<TRow> rows, int size, Func<TRow, string> key, Func<TRow, TRecord> map)
    {
        var more = rows.Count > size;
        var items = rows.Take(size).Select(map).ToList();
        return new Page<TRecord>(items, more ? key(rows[size - 1]) : null);
    }
}
