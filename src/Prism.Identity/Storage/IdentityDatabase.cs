using Microsoft.Data.Sqlite;
using Prism.Hosting.Settings;
using Prism.Identity.Configuration;

namespace Prism.Identity.Storage;

/// <summary>
/// The SQLite database behind the store: a file (<c>storage.type: sqlite3</c>, relative paths under
/// <c>$PRISM_HOME/data/identity</c>) or a private in-memory database (<c>storage.type: memory</c>) that
/// lives as long as this object, which keeps one connection open for that purpose.
/// </summary>
public sealed class IdentityDatabase : IDisposable
{
    private readonly SqliteConnection? _keepAlive;

    /// <summary>Resolves the database of <paramref name="config"/> under <paramref name="dataDirectory"/>.</summary>
    public IdentityDatabase(DexConfig config, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Storage.InMemory)
        {
            Description = "memory";
            ConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = "prism-identity-" + Guid.NewGuid().ToString("N"),
                Mode = SqliteOpenMode.Memory,
                Cache = SqliteCacheMode.Shared,
            }.ToString();
            _keepAlive = new SqliteConnection(ConnectionString);
            _keepAlive.Open();
            return;
        }

        var file = Path.Combine(dataDirectory, config.Storage.File!);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Description = file;
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
    }

    /// <summary>Connection string for EF Core.</summary>
    public string ConnectionString { get; }

    /// <summary>True for <c>storage.type: memory</c>.</summary>
    public bool InMemory => _keepAlive is not null;

    /// <summary>The file path, or <c>memory</c>.</summary>
    public string Description { get; }

    /// <summary>Where the module keeps its files: <c>$PRISM_HOME/data/identity</c>.</summary>
    public static string DataDirectoryOf(PrismHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return Path.Combine(home.DataDirectory, "identity");
    }

    /// <inheritdoc />
    public void Dispose() => _keepAlive?.Dispose();
}
