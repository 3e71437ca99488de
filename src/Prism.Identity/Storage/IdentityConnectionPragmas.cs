using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Prism.Identity.Storage;

/// <summary>
/// Per-connection settings of the identity database, applied on every open. The file database runs
/// in WAL mode (set once by <see cref="IdentityStoreInitializer"/>) with <c>synchronous=NORMAL</c>: a
/// commit writes the WAL without syncing it, and <see cref="IdentityDurability"/> syncs it once for all
/// the requests waiting to answer (group commit), so what a response acknowledged is on disk as with
/// <c>FULL</c>. The rollback journal synced the journal, the database and the directory at every
/// commit (about 6 ms a token here). The busy timeout makes concurrent writers wait for the lock instead of failing.
/// </summary>
internal sealed class IdentityConnectionPragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

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
