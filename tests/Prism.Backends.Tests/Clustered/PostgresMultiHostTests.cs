using System.Globalization;
using Npgsql;
using Prism.Backends.Drivers.Postgres;
using Prism.Backends.Tests.Support;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.Clustered;

/// <summary>Connection strings naming several PostgreSQL hosts: how they read, and the backend on a standby and a primary.</summary>
public sealed class PostgresMultiHostTests(PostgresStandbyFixture servers) : IClassFixture<PostgresStandbyFixture>
{
    [Theory]
    [InlineData("postgres://app:s3cret@h1:5433,h2:5434/orders?target_session_attrs=read-write", "h1:5433,h2:5434", "read-write", "postgres://h1:5433,h2:5434/orders")]
    [InlineData("postgresql://app@h1,h2:6000/orders", "h1,h2:6000", null, "postgres://h1:5432,h2:6000/orders")]
    [InlineData("Host=h1,h2;Port=5433;Username=app;Password=s3cret;Database=orders;Target Session Attributes=primary", "h1,h2", "primary", "postgres://h1:5433,h2:5433/orders")]
    [InlineData("postgres://app@h1:5433/orders", "h1", null, "postgres://h1:5433/orders")]
    public void SeveralHosts_AreKept_InOrder_AndShownWithoutThePassword(string value, string hosts, string? attributes, string shown)
    {
        var builder = PostgresConnectionString.Parse(value);

        Assert.Equal((hosts, attributes), (builder.Host, builder.TargetSessionAttributes));
        Assert.Equal(shown, PostgresConnectionString.Display(builder));
    }

    [Theory]
    [InlineData("postgres://app:s3cret@h1:5432,,h2/orders")]
    [InlineData("postgres://app:s3cret@h1:5432,h2:port/orders")]
    public void AnEmptyOrBadHost_IsRefused_WithoutThePassword(string value)
    {
        var refused = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Parse(value));

        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StandbyFirst_WithTargetSessionAttrsReadWrite_WritesGoToThePrimary()
    {
        var database = await servers.CreateDatabaseAsync().WaitAsync(Timeouts.Await);
        await using var backends = new TestBackends(TestBackends.Settings(
            (PostgresBackendType.UrlSetting, servers.StandbyFirstUrl(database, "?target_session_attrs=read-write"))));
        var store = backends.Registry.KeyValue("postgres")!;

        await store.SetAsync("ns", "k", "on the primary"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        Assert.Equal("on the primary"u8.ToArray(), (await store.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await)).Value.ToArray());
        Assert.Equal(servers.Primary.Port, await ServerPortAsync(backends));
        Assert.True(await InRecoveryAsync(servers.Standby.ConnectionString(database)), "the first host is not a standby");
    }

    [Fact]
    public async Task StandbyFirst_WithoutTargetSessionAttrs_ReachesTheStandby_WhichRefusesWrites()
    {
        var database = await servers.CreateDatabaseAsync().WaitAsync(Timeouts.Await);
        await using var backends = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, servers.StandbyFirstUrl(database))));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => backends.Registry.KeyValue("postgres")!.SetAsync("ns", "k", "v"u8.ToArray(), null, default).WaitAsync(Timeouts.Await));

        Assert.Equal(servers.Standby.Port, await ServerPortAsync(backends));
        Assert.Equal("25006", refused.SqlState); // read_only_sql_transaction
    }

    [Fact]
    public async Task AClosedPortFirst_InTheNpgsqlForm_FallsThroughToTheNextHost()
    {
        var database = await servers.CreateDatabaseAsync().WaitAsync(Timeouts.Await);
        var closed = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var hosts = $"Host=127.0.0.1:{closed},127.0.0.1:{servers.Primary.Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Target Session Attributes=primary";
        await using var backends = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, hosts)));
        var store = backends.Registry.KeyValue("postgres")!;

        await store.SetAsync("ns", "k", "v"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        Assert.Equal("v"u8.ToArray(), (await store.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await)).Value.ToArray());
        Assert.Equal($"postgres://127.0.0.1:{closed},127.0.0.1:{servers.Primary.Port}/{database}", backends.Catalog.Find("postgres") is { } spec
            ? Types.BuiltInBackendTypes.Find("postgres")!.Endpoint(spec) : null);
    }

    /// <summary>The port of the server the instance's connection reaches, asked through the same connection string.</summary>
    private static async Task<int> ServerPortAsync(TestBackends backends)
    {
        var spec = backends.Catalog.Find("postgres")!;
        await using var connection = new NpgsqlConnection(PostgresConnectionString.Parse(spec.Value("url")!).ConnectionString);
        await connection.OpenAsync().WaitAsync(Timeouts.Await);
        await using var command = new NpgsqlCommand("SELECT inet_server_port()", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<bool> InRecoveryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().WaitAsync(Timeouts.Await);
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
