using Prism.Testing;

namespace Prism.ControlStore.Tests;

/// <summary>The store contract on SQLite files in a temp folder.</summary>
public sealed class SqliteControlStoreTests : ControlStoreContractTests
{
    private readonly TempDirectory _folder = new("prism-admin-store");

    protected override Task<Func<ControlDatabase>> CreateEmptyDatabaseAsync()
    {
        var path = Path.Combine(_folder.Path, $"admin-{Guid.NewGuid():N}.db");
        return Task.FromResult<Func<ControlDatabase>>(() => ControlDatabase.Sqlite(path));
    }

    protected override ValueTask ReleaseDatabasesAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Database_UsesWalMode_InTheGivenFile()
    {
        var path = Path.Combine(_folder.Path, "data", "admin.db");
        var store = OpenStore(() => ControlDatabase.Sqlite(path));
        await store.MigrateAsync(CancellationToken.None).Timed();

        Assert.Equal(("sqlite", path), (store.Database.Provider, store.Database.Location));
        Assert.True(File.Exists(path));
        var header = new byte[20];
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            await file.ReadExactlyAsync(header).AsTask().Timed();
        }

        // Bytes 18 and 19 of the SQLite header are the read/write format versions: 2 means WAL.
        Assert.Equal((2, 2), (header[18], header[19]));
    }
}
