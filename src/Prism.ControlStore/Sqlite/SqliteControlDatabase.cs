using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore.Sqlite;

/// <summary>
/// SQLite file in WAL mode. Writers take the database write lock when their transaction begins
/// (Microsoft.Data.Sqlite starts transactions with BEGIN IMMEDIATE), so transactions, and with them
/// audit sequence numbers, are serialised across every process that opens the file.
/// </summary>
internal sealed class SqliteControlDatabase : ControlDatabase
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private readonly string _connectionString;
    private readonly DbContextOptions _options;

    public SqliteControlDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Location = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Location)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Location,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = SqliteConnectionPragmas.BusyTimeoutMilliseconds / 1000,
        }.ToString();
        _options = new DbContextOptionsBuilder<SqliteStoreContext>()
            .UseSqlite(_connectionString)
            .AddInterceptors(new SqliteConnectionPragmas())
            .Options;
    }

    public override string Provider => Backends.Drivers.Sqlite.SqliteBackendType.TypeName;

    public override string Location { get; }

    internal override IReadOnlyList<SchemaMigration> Migrations => SqliteMigrations.All;

    internal override string CreateMigrationsTableSql => SqliteMigrations.CreateMigrationsTable;

    internal override string MigrationsTableExistsSql => SqliteMigrations.MigrationsTableExists;

    internal override string RecordMigrationSql => SqliteMigrations.RecordMigration;

    internal override ControlStoreContext CreateContext() => new SqliteStoreContext(_options);

    /// <summary>WAL is a property of the file and cannot change inside a transaction.</summary>
    internal override Task PrepareAsync(ControlStoreContext context, CancellationToken cancellationToken) =>
        SqlCommands.ExecuteAsync(context, "PRAGMA journal_mode = WAL", cancellationToken);

    /// <summary>Nothing to add: the migration transaction already holds the write lock (BEGIN IMMEDIATE).</summary>
    internal override Task LockForMigrationAsync(ControlStoreContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing to add: one writer at a time, so sequence order is commit order.</summary>
    internal override Task LockAuditOrderAsync(ControlStoreContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    internal override bool IsUniqueViolation(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteConstraint } sqlite
                && sqlite.SqliteExtendedErrorCode is SqliteConstraintPrimaryKey or SqliteConstraintUnique)
            {
                return true;
            }
        }

        return false;
    }

    internal override object TimeParameter(DateTimeOffset value) => UnixMicrosecondsConverter.ToMicroseconds(value);

    public override ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }
}
