using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Prism.ControlStore.Sqlite;

/// <summary>
/// Per-connection settings, applied on every open. <c>synchronous=FULL</c> syncs the WAL at each
/// commit, so a committed change survives a power cut as well as a killed process; the busy
/// timeout lets several processes share the file, waiting for the write lock instead of failing.
/// </summary>
internal sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    /// <summary>How long a writer waits for another process's transaction.</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Create(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Create(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Create(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        return command;
    }
}
