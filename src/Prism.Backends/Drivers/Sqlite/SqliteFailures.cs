using Microsoft.Data.Sqlite;

namespace Prism.Backends.Drivers.Sqlite;

/// <summary>Which SQLite errors mean the file cannot be used right now.</summary>
internal static class SqliteFailures
{
    private const int CantOpen = 14;
    private const int IoError = 10;
    private const int Full = 13;
    private const int ReadOnly = 8;

    public static bool IsUnavailable(SqliteException e) => (e.SqliteErrorCode & 0xff) is CantOpen or IoError or Full or ReadOnly;

    public static BackendUnavailableException Unavailable(SqliteException e) =>
        new("sqlite", BackendFailureCodes.StorageError, e.Message, e);
}
