using System.Globalization;

namespace Prism.Testing.Servers;

/// <summary>
/// A PostgreSQL primary and a hot standby streaming from it, for multi-host connection tests
/// (use with <c>IClassFixture</c> or <c>ICollectionFixture</c>). Databases are created on the primary and appear on the standby.
/// </summary>
public sealed class PostgresStandbyFixture : IAsyncLifetime
{
    private PostgresServer? _primary;
    private PostgresServer? _standby;

    /// <summary>The server that takes writes.</summary>
    public PostgresServer Primary => _primary ?? throw new InvalidOperationException("The PostgreSQL primary has not started.");

    /// <summary>The read-only standby.</summary>
    public PostgresServer Standby => _standby ?? throw new InvalidOperationException("The PostgreSQL standby has not started.");

    /// <summary>
    /// <c>postgres://postgres@127.0.0.1:standby,127.0.0.1:primary/database</c> followed by <paramref name="query"/>:
    /// the standby listed first, as a client that does not know which server is the primary would.
    /// </summary>
    public string StandbyFirstUrl(string database, string query = "") =>
        $"postgres://postgres@{Standby.Host}:{Text(Standby.Port)},{Primary.Host}:{Text(Primary.Port)}/{database}{query}";

    /// <summary>Creates a database on the primary and waits until the standby has it too.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = await Primary.CreateDatabaseAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await using var connection = new Npgsql.NpgsqlConnection(Standby.ConnectionString(name));
                await connection.OpenAsync(timeout.Token);
                return name;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == "3D000" && !timeout.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _primary = await PostgresServer.StartAsync().WaitAsync(TimeSpan.FromSeconds(120));
        _standby = await _primary.StartStandbyAsync().WaitAsync(TimeSpan.FromSeconds(120));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_standby is not null)
        {
            await _standby.DisposeAsync();
        }

        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
