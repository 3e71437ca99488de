using Microsoft.Extensions.Logging;
using Npgsql;
using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.Hosting.Settings;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>PostgreSQL: key-value, pub/sub (LISTEN/NOTIFY over a message table) and queues (SKIP LOCKED), one connection pool per instance.</summary>
public sealed class PostgresBackendType() : UrlBackendType(UrlSetting,
    "postgres://user:pass@host:port/db or an Npgsql connection string.")
{
    /// <summary>PostgreSQL of the default instance.</summary>
    public static readonly Setting UrlSetting = new("PRISM_POSTGRES_URL", "backends:postgres:url", "postgres://prism@127.0.0.1:5432/prism",
        "PostgreSQL of the 'postgres' instance: postgres://user:pass@host:port/db or an Npgsql connection string.")
    {
        Secret = true,
    };

    /// <summary>The engine's name, as a backend type and as the control store's provider.</summary>
    public const string TypeName = "postgres";

    /// <inheritdoc />
    public override string Name => TypeName;

    /// <inheritdoc />
    public override IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.KeyValueBasic, Backends.Capabilities.KeyValueTtl, Backends.Capabilities.KeyValueBatch, Backends.Capabilities.PubSubBasic,
        Backends.Capabilities.QueueBasic, Backends.Capabilities.QueueDeadLetter, Backends.Capabilities.QueueDurable,
    };

    /// <inheritdoc />
    public override TelemetrySystem Telemetry { get; } = new("db.system.name", "postgresql");

    /// <inheritdoc />
    public override string Endpoint(BackendInstanceSpec spec) => PostgresConnectionString.Display(Parse(spec));

    /// <inheritdoc />
    public override BackendConnection Open(BackendInstanceSpec spec, BackendContext context) => new PostgresConnection(Parse(spec), context, PostgresScope.Shared);

    /// <inheritdoc />
    public override bool IssuesCredentials => true;

    /// <summary>
    /// The session's own pool: its role, its namespace's schema first on the search path, at most
    /// <see cref="SessionPoolSize"/> connections (plus one LISTEN connection once it subscribes).
    /// </summary>
    public override BackendConnection OpenAs(BackendInstanceSpec spec, SessionCredential credential, BackendContext context)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var builder = Parse(spec);
        builder.Username = credential.Principal;
        builder.Password = credential.Secret;
        builder.SearchPath = PostgresScope.SchemaOf(credential.Namespace);
        builder.MaxPoolSize = SessionPoolSize;
        builder.ApplicationName = "prism-session";
        return new PostgresConnection(builder, context, PostgresScope.Namespace(credential.Namespace));
    }

    /// <summary>In dynamic mode a namespace's tables are in its own schema: the instance's credential with that schema first on the search path.</summary>
    public override BackendConnection? OpenForNamespace(BackendInstanceSpec spec, string @namespace, BackendContext context)
    {
        if (!CredentialPolicy.Of(spec, this).IsDynamic)
        {
            return null;
        }

        var builder = Parse(spec);
        builder.SearchPath = PostgresScope.SchemaOf(@namespace);
        builder.MaxPoolSize = SessionPoolSize;
        return new PostgresConnection(builder, context, PostgresScope.Namespace(@namespace));
    }

    /// <summary>Connections a session's pool opens at most.</summary>
    public const int SessionPoolSize = 4;

    private static NpgsqlConnectionStringBuilder Parse(BackendInstanceSpec spec)
    {
        try
        {
            return PostgresConnectionString.Parse(Url(spec));
        }
        catch (ArgumentException e)
        {
            throw new BackendSpecException($"setting 'url': {e.Message}");
        }
    }

    private sealed class PostgresConnection(NpgsqlConnectionStringBuilder builder, BackendContext context, PostgresScope scope) : BackendConnection
    {
        private readonly string _connectionString = builder.ConnectionString;
        private readonly Lazy<NpgsqlDataSource> _pool = new(() => NpgsqlDataSource.Create(builder.ConnectionString));
        private PostgresRoleCredentials? _credentials;

        public override ICredentialSource Credentials =>
            _credentials ??= new PostgresRoleCredentials(_pool.Value, new NpgsqlConnectionStringBuilder(_connectionString).Database ?? "");

        public override async Task PingAsync(CancellationToken cancellation)
        {
            await using var command = _pool.Value.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellation);
        }

        public override object? CreateDriver(string pattern) => pattern switch
        {
            Patterns.KeyValue => new PostgresKeyValueStore(_pool.Value, context.Time, context.Options, context.Loggers.CreateLogger<PostgresKeyValueStore>(), scope),
            Patterns.PubSub => new PostgresPubSub(_pool.Value, context.Time, context.Options, context.Loggers.CreateLogger<PostgresPubSub>(), scope),
            Patterns.Queue => new PostgresQueue(_pool.Value, context.Time, context.Options, context.Loggers.CreateLogger<PostgresQueue>(), scope),
            _ => null,
        };

        public override async ValueTask DisposeAsync()
        {
            if (_pool.IsValueCreated)
            {
                await _pool.Value.DisposeAsync();
            }

            await base.DisposeAsync();
        }
    }
}
