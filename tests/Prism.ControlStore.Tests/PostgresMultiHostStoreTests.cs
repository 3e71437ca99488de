using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Prism.Testing.Servers;

namespace Prism.ControlStore.Tests;

/// <summary>
/// The control store on a multi-host PostgreSQL connection that lists a hot standby first: with
/// <c>target_session_attrs=read-write</c> it migrates and writes on the primary, whichever form names the hosts.
/// </summary>
public sealed class PostgresMultiHostStoreTests(PostgresStandbyFixture servers) : IClassFixture<PostgresStandbyFixture>
{
    [Fact]
    public async Task UrlForm_StandbyFirst_ReadWrite_MigratesAndWritesOnThePrimary()
    {
        var database = await servers.CreateDatabaseAsync().Timed();

        await MigrateAndWriteAsync(servers.StandbyFirstUrl(database, "?target_session_attrs=read-write"), database,
            $"postgres://127.0.0.1:{servers.Standby.Port},127.0.0.1:{servers.Primary.Port}/{database}");
    }

    [Fact]
    public async Task NpgsqlForm_StandbyFirst_Primary_MigratesAndWritesOnThePrimary()
    {
        var database = await servers.CreateDatabaseAsync().Timed();
        var connection = $"Host=127.0.0.1:{servers.Standby.Port},127.0.0.1:{servers.Primary.Port};Username=postgres;Database={database};Target Session Attributes=primary";

        await MigrateAndWriteAsync(connection, database, $"postgres://127.0.0.1:{servers.Standby.Port},127.0.0.1:{servers.Primary.Port}/{database}");
    }

    private async Task MigrateAndWriteAsync(string connection, string database, string location)
    {
        await using var handle = ControlDatabase.Postgres(connection);
        var store = new ControlStore(handle, NullLogger<ControlStore>.Instance);

        await store.MigrateAsync(CancellationToken.None).Timed();
        await store.CreateConfigAsync(TestRecords.Config("routing"), TestRecords.Audit("CreateConfig"), CancellationToken.None).Timed();

        Assert.Equal(location, handle.Location);
        Assert.NotNull(await store.GetConfigAsync("routing", CancellationToken.None).Timed());
        Assert.Equal(1L, await CountConfigsAsync(servers.Primary.ConnectionString(database)));
    }

    /// <summary>Configs stored on one server, read directly.</summary>
    private static async Task<long> CountConfigsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().Timed();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM configs", connection);
        return (long)(await command.ExecuteScalarAsync().Timed())!;
    }
}
