using Prism.Testing.Servers;

namespace Prism.ControlStore.Tests;

/// <summary>Every PostgreSQL test shares one server; each test gets its own database.</summary>
[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

/// <summary>The store contract on a real PostgreSQL server.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresControlStoreTests(PostgresFixture postgres) : ControlStoreContractTests
{
    protected override async Task<Func<ControlDatabase>> CreateEmptyDatabaseAsync()
    {
        var connection = await postgres.CreateDatabaseAsync().Timed();
        return () => ControlDatabase.Postgres(connection);
    }

    [Fact]
    public async Task UrlForm_ReachesTheSameServer_AndLocationHidesThePassword()
    {
        var name = await postgres.Server.CreateDatabaseAsync().Timed();
        var url = postgres.Server.Url(name).Replace("postgres@", "postgres:s3cret@", StringComparison.Ordinal) + "?sslmode=disable";
        var store = OpenStore(() => ControlDatabase.Postgres(url));

        await store.MigrateAsync(CancellationToken.None).Timed();

        Assert.True(await store.PingAsync(CancellationToken.None).Timed());
        Assert.Equal($"postgres://127.0.0.1:{postgres.Server.Port}/{name}", store.Database.Location);
    }
}
