using Microsoft.EntityFrameworkCore;
using Npgsql;
using Prism.ControlStore.Schema;
using Prism.Backends;

namespace Prism.ControlStore.Postgres;

/// <summary>
/// PostgreSQL shared by every admin and proxy process. Migrations and audit inserts take
/// transaction-scoped advisory locks, so concurrent starts migrate once and audit sequence
/// numbers become visible in increasing order.
/// </summary>
internal sealed class PostgresControlDatabase : ControlDatabase
{
    /// <summary>Advisory lock keys: "PRISMA" followed by a purpose number.</summary>
    private const long MigrationLockKey = 0x5052_4953_4D41_0001;
    private const long AuditOrderLockKey = 0x5052_4953_4D41_0002;
    private const string UniqueViolation = "23505";

    private readonly NpgsqlDataSource _dataSource;
    private readonly DbContextOptions _options;

    public PostgresControlDatabase(NpgsqlConnectionStringBuilder connection)
    {
        Location = PostgresConnectionString.Display(connection);
        _dataSource = NpgsqlDataSource.Create(connection);
        _options = new DbContextOptionsBuilder<PostgresStoreContext>().UseNpgsql(_dataSource).Options;
    }

    public override string Provider => Backends.Drivers.Postgres.PostgresBackendType.TypeName;

    public override string Location { get; }

    internal override IReadOnlyList<SchemaMigration> Migrations => PostgresMigrations.All;

    internal override string CreateMigrationsTableSql => PostgresMigrations.CreateMigrationsTable;

    internal override string MigrationsTableExistsSql => PostgresMigrations.MigrationsTableExists;

    internal override string RecordMigrationSql => PostgresMigrations.RecordMigration;

    internal override ControlStoreContext CreateContext() => new PostgresStoreContext(_options);

    /// <summary>DDL is transactional in PostgreSQL: the lock, the schema and the bookkeeping commit together.</summary>
    internal override Task LockForMigrationAsync(ControlStoreContext context, CancellationToken cancellationToken) =>
        SqlCommands.ExecuteAsync(context, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("@key", MigrationLockKey));

    /// <summary>
    /// Identity values are handed out at insert, not at commit; holding this lock from the insert to
    /// the commit makes a later sequence number impossible to commit before an earlier one.
    /// </summary>
    internal override Task LockAuditOrderAsync(ControlStoreContext context, CancellationToken cancellationToken) =>
        SqlCommands.ExecuteAsync(context, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("@key", AuditOrderLockKey));

    internal override bool IsUniqueViolation(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: UniqueViolation })
            {
                return true;
            }
        }

        return false;
    }

    internal override object TimeParameter(DateTimeOffset value) => RowMapping.StoreTime(value);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
