using Npgsql;
using Prism.Backends.Credentials;
using Prism.Backends.Drivers.Postgres;
using Prism.Backends.Instances;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.Credentials;

[Collection(PostgresFixture.Collection)]
public sealed class PostgresCredentialTests(PostgresFixture postgres) : CredentialSourceContract
{
    private string _database = "";

    protected override string TypeName => "postgres";

    protected override async Task<Dictionary<string, string>> DynamicSettingsAsync()
    {
        _database = await postgres.Server.CreateDatabaseAsync();
        return new Dictionary<string, string>
        {
            ["url"] = postgres.Server.Url(_database), [CredentialPolicy.ModeKey] = "dynamic", [CredentialPolicy.TtlKey] = "10m",
        };
    }

    protected override async Task<string?> ReadDirectlyAsync(SessionCredential credential, string @namespace, string key)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(credential));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT convert_from(value, 'UTF8') FROM \"{PostgresScope.SchemaOf(@namespace)}\".prism_kv WHERE namespace = @ns AND key = @key", connection);
        command.Parameters.AddWithValue("ns", @namespace);
        command.Parameters.AddWithValue("key", key);
        try
        {
            return (string?)await command.ExecuteScalarAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new UnauthorizedAccessException(e.MessageText, e);
        }
    }

    protected override async Task<bool> CanLogInAsync(SessionCredential credential)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString(credential));
            await connection.OpenAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            return false;
        }
    }

    protected override async Task<BackendInstanceSpec> UnprivilegedSpecAsync()
    {
        await using (var admin = new NpgsqlConnection(postgres.Server.ConnectionString(_database)))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand("""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'no_createrole') THEN
                        CREATE ROLE no_createrole LOGIN PASSWORD 'weak-pass';
                    END IF;
                END $$;
                GRANT CREATE ON DATABASE current_database_placeholder TO no_createrole;
                """.Replace("current_database_placeholder", _database, StringComparison.Ordinal), admin);
            await command.ExecuteNonQueryAsync();
        }

        return new BackendInstanceSpec("weak", "postgres", new Dictionary<string, string>
        {
            ["url"] = $"postgres://no_createrole:weak-pass@{postgres.Server.Host}:{postgres.Server.Port}/{_database}", [CredentialPolicy.ModeKey] = "dynamic",
        }, BackendSource.Api);
    }

    [Fact]
    public async Task ExpiredCredential_CannotLogIn()
    {
        var credential = await IssueAsync("team-a", TimeSpan.FromSeconds(2));
        Assert.True(await CanLogInAsync(credential));

        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.False(await CanLogInAsync(credential));
    }

    [Fact]
    public async Task Renew_MovesValidUntil()
    {
        var credential = await IssueAsync("team-a", TimeSpan.FromMinutes(1));
        var until = DateTimeOffset.UtcNow.AddHours(2);

        await Source.RenewAsync(credential.Principal, until, default);

        await using var admin = new NpgsqlConnection(postgres.Server.ConnectionString(_database));
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT rolvaliduntil FROM pg_roles WHERE rolname = @role", admin);
        command.Parameters.AddWithValue("role", credential.Principal);
        var stored = (DateTime)(await command.ExecuteScalarAsync())!;
        Assert.InRange(stored, until.UtcDateTime.AddSeconds(-1), until.UtcDateTime.AddSeconds(1));
    }

    private string ConnectionString(SessionCredential credential) => new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString(_database))
    {
        Username = credential.Principal, Password = credential.Secret, Pooling = false, Timeout = 5,
    }.ConnectionString;
}
