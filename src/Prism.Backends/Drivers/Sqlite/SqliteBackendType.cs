using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.Hosting.Settings;

namespace Prism.Backends.Drivers.Sqlite;

/// <summary>SQLite: key-value in one local file per instance.</summary>
public sealed class SqliteBackendType : BackendType
{
    /// <summary>File of the default instance.</summary>
    public static readonly Setting PathSetting = new("PRISM_SQLITE_PATH", "backends:sqlite:path", null,
        "File of the 'sqlite' key-value instance. Default: PRISM_HOME/data/keyvalue.db.");

    /// <summary>The engine's name, as a backend type and as the control store's provider.</summary>
    public const string TypeName = "sqlite";

    /// <inheritdoc />
    public override string Name => TypeName;

    /// <inheritdoc />
    public override IReadOnlySet<string> Capabilities { get; } =
        new HashSet<string> { Backends.Capabilities.KeyValueBasic, Backends.Capabilities.KeyValueTtl, Backends.Capabilities.KeyValueBatch };

    /// <inheritdoc />
    public override IReadOnlyList<BackendSettingSpec> InstanceSettings { get; } =
        [new("path", Secret: false, Required: true, "Absolute path of the database file; created when missing.")];

    /// <inheritdoc />
    public override TelemetrySystem Telemetry { get; } = new("db.system.name", "sqlite");

    /// <inheritdoc />
    public override IReadOnlyList<Setting> ConfigurationSettings => [PathSetting];

    /// <inheritdoc />
    public override BackendInstanceSpec DefaultInstance(IConfiguration configuration, PrismHome home) =>
        new(Name, Name, new Dictionary<string, string>
        {
            ["path"] = configuration[PathSetting.Key] is { Length: > 0 } path ? path : Path.Combine(home.DataDirectory, "keyvalue.db"),
        }, BackendSource.Config);

    /// <inheritdoc />
    public override string Endpoint(BackendInstanceSpec spec) => "file://" + FilePath(spec);

    /// <inheritdoc />
    public override BackendConnection Open(BackendInstanceSpec spec, BackendContext context) => new SqliteConnectionFactory(FilePath(spec), context);

    private static string FilePath(BackendInstanceSpec spec)
    {
        var path = spec.Value("path") ?? throw new BackendSpecException("setting 'path' is required");
        return Path.IsPathFullyQualified(path) ? path : throw new BackendSpecException("setting 'path' must be an absolute path");
    }

    private sealed class SqliteConnectionFactory(string path, BackendContext context) : BackendConnection
    {
        private readonly string _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        public override async Task PingAsync(CancellationToken cancellation)
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellation);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellation);
        }

        public override object? CreateDriver(string pattern) => pattern == Patterns.KeyValue
            ? new SqliteKeyValueStore(_connectionString, context.Time, context.Options, context.Loggers.CreateLogger<SqliteKeyValueStore>())
            : null;
    }
}
