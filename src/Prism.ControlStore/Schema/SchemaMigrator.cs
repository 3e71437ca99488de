using Microsoft.EntityFrameworkCore;

namespace Prism.ControlStore.Schema;

/// <summary>Outcome of a migration run.</summary>
/// <param name="SchemaVersion">Highest version recorded after the run.</param>
/// <param name="Applied">Versions this run applied (empty when the schema was current).</param>
/// <param name="NewerThanCode">True when the database holds versions this code does not know (a newer release migrated it).</param>
internal sealed record MigrationOutcome(long SchemaVersion, IReadOnlyList<SchemaMigration> Applied, bool NewerThanCode);

/// <summary>
/// Applies the provider's versioned migrations in one transaction that first takes the provider's
/// migration lock, so concurrent starts wait for each other and each version runs exactly once.
/// </summary>
internal static class SchemaMigrator
{
    private const string AppliedVersionsSql = "SELECT version FROM schema_migrations ORDER BY version";

    public static async Task<MigrationOutcome> RunAsync(ControlDatabase database, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        await context.Database.OpenConnectionAsync(cancellationToken);
        await database.PrepareAsync(context, cancellationToken);

        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        await database.LockForMigrationAsync(context, cancellationToken);
        await SqlCommands.ExecuteAsync(context, database.CreateMigrationsTableSql, cancellationToken);
        var applied = (await SqlCommands.QueryLongsAsync(context, AppliedVersionsSql, cancellationToken)).ToHashSet();

        var now = new List<SchemaMigration>();
        foreach (var migration in database.Migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await SqlCommands.ExecuteAsync(context, migration.Sql, cancellationToken);
            await SqlCommands.ExecuteAsync(
                context, database.RecordMigrationSql, cancellationToken, ("@version", (long)migration.Version), ("@name", migration.Name));
            now.Add(migration);
        }

        await transaction.CommitAsync(cancellationToken);
        var known = database.Migrations.Max(m => m.Version);
        var all = applied.Concat(now.Select(m => (long)m.Version)).ToList();
        return new MigrationOutcome(all.Max(), now, all.Any(v => v > known));
    }

    public static async Task<IReadOnlyList<long>> AppliedAsync(ControlDatabase database, ControlStoreContext context, CancellationToken cancellationToken)
    {
        var exists = await SqlCommands.QueryLongsAsync(context, database.MigrationsTableExistsSql, cancellationToken);
        return exists[0] == 0 ? [] : await SqlCommands.QueryLongsAsync(context, AppliedVersionsSql, cancellationToken);
    }
}
