using Prism.Testing.Servers;

namespace Prism.Cli.Tests;

/// <summary>
/// <c>prismctl namespace apply -f</c> with instances on real servers: two redis-servers and a PostgreSQL
/// database, their URLs taken from the environment, each instance listed with its own health.
/// (The proxy's BackendInstanceTests show namespaces so bound writing to their own servers.)
/// </summary>
[Collection(PrismServersCollection.Name)]
public sealed class RealBackendApplyTests(PrismServers servers) : IAsyncLifetime
{
    private RedisServer _cache = null!;
    private RedisServer _sessions = null!;
    private PostgresServer _postgres = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _cache = await RedisServer.StartNewAsync();
        _sessions = await RedisServer.StartNewAsync();
        _postgres = await PostgresServer.StartAsync().WaitAsync(TimeSpan.FromSeconds(120));
        _database = _postgres.ConnectionString(await _postgres.CreateDatabaseAsync());
    }

    public async Task DisposeAsync()
    {
        await _cache.DisposeAsync();
        await _sessions.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task ApplyFile_WithTwoRedisInstancesAndPostgres_CreatesThem_AndBackendListShowsEachHealthy()
    {
        using var cli = new Prismctl(servers);
        cli.Environment["CACHE_URL"] = "redis://" + _cache.Configuration;
        cli.Environment["SESSIONS_URL"] = "redis://" + _sessions.Configuration;
        cli.Environment["PG_URL"] = _database;
        var file = Path.Combine(cli.Home, "tenants.yaml");
        File.WriteAllText(file, """
            kind: Backend
            name: real-cache
            type: redis
            secrets: {url: "${CACHE_URL}"}
            ---
            kind: Backend
            name: real-sessions
            type: redis
            secrets: {url: "${SESSIONS_URL}"}
            ---
            kind: Backend
            name: real-pg
            type: postgres
            secrets: {url: "${PG_URL}"}
            ---
            kind: Namespace
            name: real-team-a
            patterns: {keyvalue: {store: real-cache}}
            ---
            kind: Namespace
            name: real-team-b
            patterns: {keyvalue: {store: real-sessions}}
            ---
            kind: Namespace
            name: real-team-c
            patterns: {keyvalue: {store: real-pg}, pubsub: {source: real-pg}}
            """);

        var applied = await cli.RunAsync("namespace", "apply", "-f", file);

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal(6, applied.StandardOutput.Split('\n').Count(l => l.EndsWith(" created", StringComparison.Ordinal)));
        var list = await cli.RunAsync("backend", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches($@"(?m)^real-cache\s+redis\s+api\s+redis://{_cache.Configuration}\s.*\s(healthy|degraded)$", list.StandardOutput);
        Assert.Matches($@"(?m)^real-sessions\s+redis\s+api\s+redis://{_sessions.Configuration}\s.*\s(healthy|degraded)$", list.StandardOutput);
        Assert.Matches(@"(?m)^real-pg\s+postgres\s+api\s+.*\s(healthy|degraded)$", list.StandardOutput);
        var teamC = await cli.RunAsync("namespace", "get", "real-team-c", "-o", "yaml");
        Assert.Contains("source: real-pg", teamC.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(_database, list.StandardOutput + teamC.StandardOutput, StringComparison.Ordinal);
    }
}
