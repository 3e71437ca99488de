using Prism.Testing.Servers;

namespace Prism.Admin.Tests;

/// <summary>The control-plane scenario with the store on a real PostgreSQL server.</summary>
[Collection(PostgresFixture.Collection)]
public class PostgresScenarioTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Scenario_OnPostgres_BehavesAsOnSqlite()
    {
        await using var server = await AdminServer.StartAsync(databaseUrl: await postgres.CreateDatabaseAsync());

        await AdminScenario.RunAsync(server.Client, server.TokenFor("viewer", "vera@example.com"), "vera@example.com",
            server.TokenFor("admin", "alice@example.com"), "alice@example.com");
    }
}
