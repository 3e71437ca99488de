using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Prism.Backends.Credentials;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// Per-session PostgreSQL roles, created with the instance's administrative credential (it needs
/// CREATEROLE and, to end a revoked role's connections, pg_signal_backend or superuser).
/// A namespace's data lives in its own schema (<see cref="PostgresScope.SchemaOf"/>), usable only by
/// the namespace's group role; a session role is a LOGIN member of that group with a random
/// password and <c>VALID UNTIL</c>, so it can read its namespace's tables and gets "permission
/// denied" on every other namespace's.
/// </summary>
internal sealed class PostgresRoleCredentials(NpgsqlDataSource admin, string database) : ICredentialSource
{
    /// <summary>Prefix of every session role.</summary>
    public const string RolePrefix = "prism_s_";

    // Roles are shared by every database of a cluster: the group role names its database (hashed) so
    // namespaces of the same name in two databases stay apart and a sweep finds only its own.
    // Namespaces whose schema, tables and grants this process has made sure of: later issues only create a role.
    private readonly ConcurrentDictionary<string, byte> _prepared = new(StringComparer.Ordinal);

    private readonly string _groupPrefix = "prism_ns_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database)).AsSpan(0, 4)) + "_";

    /// <summary>The group role of <paramref name="namespace"/> in this database.</summary>
    public string GroupOf(string @namespace) => CredentialNames.Bounded(_groupPrefix, @namespace, 63);

    /// <inheritdoc />
    public string PrincipalOf(string leaseId) => RolePrefix + leaseId;

    /// <inheritdoc />
    public async Task<SessionCredential> IssueAsync(CredentialRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        var role = PrincipalOf(request.LeaseId);
        var secret = CredentialNames.NewSecret();
        var schema = PostgresScope.SchemaOf(request.Namespace);
        var group = GroupOf(request.Namespace);
        await GuardAsync(async () =>
        {
            await using var connection = await admin.OpenConnectionAsync(cancellation);
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            var prepared = _prepared.ContainsKey(request.Namespace);
            if (!prepared)
            {
                await ExecuteAsync(connection, transaction, PrepareNamespace(schema, group), cancellation);
            }

            try
            {
                await ExecuteAsync(connection, transaction,
                    $"CREATE ROLE {Identifier(role)} LOGIN PASSWORD {Literal(ScramVerifier.Create(secret))} VALID UNTIL {Timestamp(request.ExpiresAt)} IN ROLE {Identifier(group)}",
                    cancellation);
            }
            catch (PostgresException) when (prepared)
            {
                // Prepared earlier by this process, changed since (group role dropped by hand): prepare again next time.
                _prepared.TryRemove(request.Namespace, out _);
                throw;
            }

            // Everything above commits together or not at all: a refused grant leaves no role behind.
            await transaction.CommitAsync(cancellation);
            _prepared.TryAdd(request.Namespace, 0);
        }, "issue");
        return new SessionCredential(role, secret, request.Namespace);
    }

    /// <inheritdoc />
    public Task RenewAsync(string principal, DateTimeOffset expiresAt, CancellationToken cancellation) =>
        GuardAsync(async () =>
        {
            await using var command = admin.CreateCommand($"ALTER ROLE {Identifier(Own(principal))} VALID UNTIL {Timestamp(expiresAt)}");
            await command.ExecuteNonQueryAsync(cancellation);
        }, "renew");

    /// <inheritdoc />
    public Task RevokeAsync(string principal, CancellationToken cancellation) =>
        GuardAsync(async () =>
        {
            var role = Own(principal);
            await using var connection = await admin.OpenConnectionAsync(cancellation);
            await using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_roles WHERE rolname = @role", connection))
            {
                exists.Parameters.AddWithValue("role", role);
                if ((long)(await exists.ExecuteScalarAsync(cancellation))! == 0)
                {
                    return;
                }
            }

            // No new logins, then end the open ones, then the role: a revoked credential works nowhere.
            await ExecuteAsync(connection, null, $"ALTER ROLE {Identifier(role)} NOLOGIN", cancellation);
            await using (var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = @role", connection))
            {
                terminate.Parameters.AddWithValue("role", role);
                await terminate.ExecuteScalarAsync(cancellation);
            }

            await ExecuteAsync(connection, null, $"DROP ROLE IF EXISTS {Identifier(role)}", cancellation);
        }, "revoke");

    /// <inheritdoc />
    public Task CheckAsync(CancellationToken cancellation) =>
        GuardAsync(async () =>
        {
            await using var command = admin.CreateCommand("SELECT rolsuper OR rolcreaterole, current_user FROM pg_roles WHERE rolname = current_user");
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            if (!await reader.ReadAsync(cancellation) || !reader.GetBoolean(0))
            {
                throw new CredentialIssueException($"issue refused: role {(reader.HasRows ? reader.GetString(1) : "?")} has neither CREATEROLE nor SUPERUSER");
            }
        }, "issue");

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListIssuedAsync(CancellationToken cancellation)
    {
        var roles = new List<string>();
        await GuardAsync(async () =>
        {
            await using var command = admin.CreateCommand("""
                SELECT DISTINCT r.rolname FROM pg_roles r
                JOIN pg_auth_members m ON m.member = r.oid
                JOIN pg_roles g ON g.oid = m.roleid
                WHERE starts_with(r.rolname, @role_prefix) AND starts_with(g.rolname, @group_prefix)
                """);
            command.Parameters.AddWithValue("role_prefix", RolePrefix);
            command.Parameters.AddWithValue("group_prefix", _groupPrefix);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                roles.Add(reader.GetString(0));
            }
        }, "list");
        return roles;
    }

    /// <summary>Schema, group role, tables and grants of a namespace; idempotent, serialised across processes.</summary>
    private static string PrepareNamespace(string schema, string group) => $"""
        SELECT pg_advisory_xact_lock(hashtext('prism_credentials'));
        CREATE SCHEMA IF NOT EXISTS {Identifier(schema)};
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {Literal(group)}) THEN
                CREATE ROLE {Identifier(group)} NOLOGIN;
            END IF;
        END $$;
        GRANT USAGE ON SCHEMA {Identifier(schema)} TO {Identifier(group)};
        SET LOCAL search_path = {Identifier(schema)};
        {PostgresKeyValueSql.Schema}
        {PostgresPubSubSql.Schema}
        {PostgresQueueSql.Schema}
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {Identifier(schema)} TO {Identifier(group)};
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {Identifier(schema)} TO {Identifier(group)};
        """;

    private static string Own(string principal) =>
        principal.StartsWith(RolePrefix, StringComparison.Ordinal) ? principal : throw new ArgumentException($"'{principal}' is not a session role", nameof(principal));

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private static async Task GuardAsync(Func<Task> operation, string what)
    {
        try
        {
            await operation();
        }
        catch (PostgresException e)
        {
            // MessageText is the server's reason ("permission denied to create role"); it never holds the password, which is sent hashed.
            throw new CredentialIssueException($"{what} refused: {e.MessageText} ({e.SqlState})", e);
        }
        catch (NpgsqlException e)
        {
            throw new CredentialIssueException($"{what} failed: cannot reach the backend ({e.Message})", e);
        }
    }

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Timestamp(DateTimeOffset value) =>
        Literal(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00");
}
