using Prism.ControlStore.Postgres;
using Prism.ControlStore.Schema;
using Prism.ControlStore.Sqlite;
using Prism.Backends;

namespace Prism.ControlStore;

/// <summary>
/// The database behind <see cref="ControlStore"/>: SQLite (a file shared by local processes) or
/// PostgreSQL (shared by every admin and proxy process of a deployment). Holds what differs
/// between the two: connection setup, schema migrations, locking and error codes.
/// </summary>
public abstract class ControlDatabase : IAsyncDisposable
{
    private protected ControlDatabase()
    {
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Provider { get; }

    /// <summary>Where the data lives, safe to log: a file path, or <c>postgres://host:port/db</c> without credentials.</summary>
    public abstract string Location { get; }

    /// <summary>A SQLite database in <paramref name="path"/> (WAL, synchronous=FULL, busy timeout), created if missing.</summary>
    public static ControlDatabase Sqlite(string path) => new SqliteControlDatabase(path);

    /// <summary>A PostgreSQL database from a <c>postgres://user:pass@host:port/db</c> URL or an Npgsql connection string.</summary>
    /// <exception cref="ArgumentException">The value is neither form; the message does not repeat it.</exception>
    public static ControlDatabase Postgres(string urlOrConnectionString) =>
        new PostgresControlDatabase(PostgresConnectionString.Parse(urlOrConnectionString, "prism-admin"));

    /// <summary>Versions recorded in <c>schema_migrations</c>, ascending (empty before the first migration).</summary>
    public async Task<IReadOnlyList<long>> AppliedMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var context = CreateContext();
        return await SchemaMigrator.AppliedAsync(this, context, cancellationToken);
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => $"{Provider} {Location}";

    /// <summary>A new short-lived context on this database.</summary>
    internal abstract ControlStoreContext CreateContext();

    /// <summary>Every migration of this provider, ascending.</summary>
    internal abstract IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>Creates <c>schema_migrations</c> if missing.</summary>
    internal abstract string CreateMigrationsTableSql { get; }

    /// <summary>One row, one column: 1 when <c>schema_migrations</c> exists, else 0.</summary>
    internal abstract string MigrationsTableExistsSql { get; }

    /// <summary>Inserts a bookkeeping row; parameters <c>@version</c> and <c>@name</c>.</summary>
    internal abstract string RecordMigrationSql { get; }

    /// <summary>Work outside the migration transaction (SQLite: switch to WAL).</summary>
    internal virtual Task PrepareAsync(ControlStoreContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Inside the migration transaction, before reading <c>schema_migrations</c>: keep other processes out until commit.</summary>
    internal abstract Task LockForMigrationAsync(ControlStoreContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Inside a transaction, just before inserting an audit row: makes sequence order equal commit order,
    /// so a reader polling with <see cref="AuditQuery.AfterSequence"/> never skips an entry committed late.
    /// </summary>
    internal abstract Task LockAuditOrderAsync(ControlStoreContext context, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> (or an inner one) is a unique or primary key violation.</summary>
    internal abstract bool IsUniqueViolation(Exception exception);

    /// <summary>A timestamp as a raw SQL parameter value in this database's representation.</summary>
    internal abstract object TimeParameter(DateTimeOffset value);
}
