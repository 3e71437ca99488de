using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Backends.KeyValue;
using static Prism.Backends.Drivers.Sqlite.SqliteKeyValueSql;

using Prism.Backends.Health;

namespace Prism.Backends.Drivers.Sqlite;

/// <summary>
/// The embedded durable key-value backend: one SQLite file in WAL mode, table <c>prism_kv</c>
/// keyed by (namespace, key). Expired rows are invisible to reads and deleted periodically.
/// Writes are serialised in-process so concurrent writers queue instead of spinning on SQLITE_BUSY.
/// </summary>
public sealed class SqliteKeyValueStore : IKeyValueStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OutageLog _outage;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly PeriodicPurge _purge;
    private readonly Initialiser _schema;

    /// <summary>Creates the driver; the file and table are created on first use.</summary>
    public SqliteKeyValueStore(string connectionString, TimeProvider time, BackendDriverOptions options, ILogger<SqliteKeyValueStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connectionString = connectionString;
        _time = time;
        _logger = logger ?? NullLogger<SqliteKeyValueStore>.Instance;
        _outage = new OutageLog(_logger, BackendName);
        _schema = new Initialiser(CreateSchemaAsync);
        _purge = new PeriodicPurge(time, options.PurgeInterval, BackendName, PurgeAsync, _logger);
    }

    /// <inheritdoc />
    public string BackendName => "sqlite";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.KeyValueBasic, Backends.Capabilities.KeyValueTtl, Backends.Capabilities.KeyValueBatch,
    };

    /// <inheritdoc />
    public Task SetAsync(string @namespace, string key, ReadOnlyMemory<byte> value, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellation) =>
        WriteAsync(async (connection, _) => await Command(connection, Set, @namespace, key, ("$value", value.ToArray())).ExecuteNonQueryAsync(cancellation), cancellation);

    /// <inheritdoc />
    public Task<KeyValueLookup> GetAsync(string @namespace, string key, CancellationToken cancellation) =>
        ReadAsync(async connection => await ReadValueAsync(connection, @namespace, key, cancellation), cancellation);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string @namespace, string key, CancellationToken cancellation) =>
        WriteAsync(async (connection, _) => await Command(connection, Delete, @namespace, key).ExecuteScalarAsync(cancellation) is long live && live != 0, cancellation);

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string @namespace, string key, CancellationToken cancellation) =>
        ReadAsync(async connection => await Command(connection, Exists, @namespace, key).ExecuteScalarAsync(cancellation) is not null, cancellation);

    /// <inheritdoc />
    public Task<bool> ExpireAsync(string @namespace, string key, TimeSpan ttl, CancellationToken cancellation) =>
        ttl <= TimeSpan.Zero
            ? DeleteAsync(@namespace, key, cancellation)
            : WriteAsync(async (connection, now) =>
                await Command(connection, Expire, @namespace, key, ("$at", now + (long)ttl.TotalMilliseconds)).ExecuteNonQueryAsync(cancellation) > 0, cancellation);

    /// <inheritdoc />
    public Task<long> GetTtlAsync(string @namespace, string key, CancellationToken cancellation) =>
        ReadAsync(async connection =>
        {
            await using var reader = await Command(connection, GetTtl, @namespace, key).ExecuteReaderAsync(cancellation);
            if (!await reader.ReadAsync(cancellation))
            {
                return KeyValueTtl.Missing;
            }

            return reader.IsDBNull(0) ? KeyValueTtl.NoExpiry : KeyValueTtl.Seconds(TimeSpan.FromMilliseconds(reader.GetInt64(0) - NowMs()));
        }, cancellation);

    /// <inheritdoc />
    public Task<bool> PersistAsync(string @namespace, string key, CancellationToken cancellation) =>
        WriteAsync(async (connection, _) => await Command(connection, Persist, @namespace, key).ExecuteNonQueryAsync(cancellation) > 0, cancellation);

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueResult>> BatchSetAsync(string @namespace, IReadOnlyList<KeyValueWrite> items, CancellationToken cancellation) =>
        WriteAsync<IReadOnlyList<KeyValueResult>>(async (connection, _) =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellation);
            foreach (var item in items)
            {
                await Command(connection, Set, @namespace, item.Key, ("$value", item.Value.ToArray())).ExecuteNonQueryAsync(cancellation);
            }

            await transaction.CommitAsync(cancellation);
            return [.. items.Select(_ => KeyValueResult.Ok)];
        }, cancellation);

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueLookup>> BatchGetAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation) =>
        ReadAsync<IReadOnlyList<KeyValueLookup>>(async connection =>
        {
            var results = new KeyValueLookup[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                results[i] = await ReadValueAsync(connection, @namespace, keys[i], cancellation);
            }

            return results;
        }, cancellation);

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueResult>> BatchDeleteAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation) =>
        WriteAsync<IReadOnlyList<KeyValueResult>>(async (connection, _) =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellation);
            foreach (var key in keys)
            {
                await Command(connection, Delete, @namespace, key).ExecuteNonQueryAsync(cancellation);
            }

            await transaction.CommitAsync(cancellation);
            return [.. keys.Select(_ => KeyValueResult.Ok)];
        }, cancellation);

    /// <summary>Deletes expired rows now; returns how many.</summary>
    public Task<int> PurgeAsync(CancellationToken cancellation) =>
        WriteAsync(async (connection, _) => await Command(connection, Purge, "", "").ExecuteNonQueryAsync(cancellation), cancellation);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _purge.DisposeAsync();
        _writer.Dispose();
    }

    private async Task<KeyValueLookup> ReadValueAsync(SqliteConnection connection, string @namespace, string key, CancellationToken cancellation)
    {
        await using var reader = await Command(connection, Get, @namespace, key).ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? KeyValueLookup.Of(reader.GetFieldValue<byte[]>(0)) : KeyValueLookup.Missing;
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private SqliteCommand Command(SqliteConnection connection, string sql, string @namespace, string key, params (string Name, object Value)[] extra)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$ns", @namespace);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$now", NowMs());
        foreach (var (name, value) in extra)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellation)
    {
        try
        {
            await _schema.EnsureAsync().WaitAsync(cancellation);
            await using var connection = await OpenAsync(cancellation);
            var result = await read(connection);
            _outage.Succeeded();
            return result;
        }
        catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
        {
            throw _outage.Failed(SqliteFailures.Unavailable(e));
        }
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, long, Task<T>> write, CancellationToken cancellation)
    {
        await _writer.WaitAsync(cancellation);
        try
        {
            return await ReadAsync(connection => write(connection, NowMs()), cancellation);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellation)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellation);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = SqliteKeyValueSql.Connection;
        await pragma.ExecuteNonQueryAsync(cancellation);
        return connection;
    }

    private async Task CreateSchemaAsync()
    {
        if (Path.GetDirectoryName(new SqliteConnectionStringBuilder(_connectionString).DataSource) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync();
        BackendLog.SchemaReady(_logger, BackendName);
    }
}
