namespace Prism.Testing.Servers;

/// <summary>
/// One PostgreSQL server shared by the tests of a collection. Declare in the test assembly:
/// <c>[CollectionDefinition(PostgresFixture.Collection)] public sealed class PostgresCollection : ICollectionFixture&lt;PostgresFixture&gt;;</c>
/// and give each test class (or test) its own database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>Conventional collection name for tests that use this fixture.</summary>
    public const string Collection = "postgres";

    private PostgresServer? _server;

    /// <summary>The running server.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    /// <summary>A fresh, empty database; returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync() => Server.ConnectionString(await Server.CreateDatabaseAsync());

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync().WaitAsync(TimeSpan.FromSeconds(120));

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
