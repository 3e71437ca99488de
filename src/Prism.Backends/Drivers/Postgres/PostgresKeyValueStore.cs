using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Prism.Backends.KeyValue;
using static Prism.Backends.Drivers.Postgres.PostgresKeyValueSql;

using Prism.Backends.Health;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// Key-value in PostgreSQL table <c>prism_kv</c> (namespace, key, bytea value, expires_at), with
/// upserts. Expired rows are invisible to reads and deleted periodically. Batch writes run as one
/// round trip in one transaction.
/// </summary>
public sealed class PostgresKeyValueStore : IKeyValueStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly OutageLog _outage;
    private readonly Initialiser _schema;
    private readonly PeriodicPurge _purge;

    /// <summary>Creates the driver; the table is created on first use.</summary>
    public PostgresKeyValueStore(NpgsqlDataSource dataSource, TimeProvider time, BackendDriverOptions options, ILogger<PostgresKeyValueStore>? logger = null,
        PostgresScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _logger = logger ?? NullLogger<PostgresKeyValueStore>.Instance;
        _outage = new OutageLog(_logger, "postgres");
        _schema = new Initialiser((scope ?? PostgresScope.Shared).CreatesSchema ? CreateSchemaAsync : () => Task.CompletedTask);
        _purge = new PeriodicPurge(time, options.PurgeInterval, BackendName, PurgeAsync, _logger);
    }

    /// <inheritdoc />
    public string BackendName => "postgres";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.KeyValueBasic, Backends.Capabilities.KeyValueTtl, Backends.Capabilities.KeyValueBatch,
    };

    /// <inheritdoc />
    public Task SetAsync(string @namespace, string key, ReadOnlyMemory<byte> value, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = Command(Set, @namespace, key);
            command.Parameters.AddWithValue("value", NpgsqlDbType.Bytea, value.ToArray());
            return await command.ExecuteNonQueryAsync(cancellation);
        });

    /// <inheritdoc />
    public Task<KeyValueLookup> GetAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = Command(Get, @namespace, key);
            return await command.ExecuteScalarAsync(cancellation) is byte[] value ? KeyValueLookup.Of(value) : KeyValueLookup.Missing;
        });

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = Command(Delete, @namespace, key);
            return await command.ExecuteScalarAsync(cancellation) is true;
        });

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = Command(Exists, @namespace, key);
            return await command.ExecuteScalarAsync(cancellation) is not null;
        });

    /// <inheritdoc />
    public Task<bool> ExpireAsync(string @namespace, string key, TimeSpan ttl, CancellationToken cancellation) =>
        ttl <= TimeSpan.Zero
            ? DeleteAsync(@namespace, key, cancellation)
            : RunAsync(async () =>
            {
                await using var command = Command(Expire, @namespace, key);
                command.Parameters.AddWithValue("ttl", NpgsqlDbType.Interval, ttl);
                return await command.ExecuteNonQueryAsync(cancellation) > 0;
            });

    /// <inheritdoc />
    public Task<long> GetTtlAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = Command(GetTtl, @namespace, key);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            if (!await reader.ReadAsync(cancellation))
            {
                return KeyValueTtl.Missing;
            }

            return reader.IsDBNull(0) ? KeyValueTtl.NoExpiry : KeyValueTtl.Seconds(TimeSpan.FromMilliseconds(reader.GetInt64(0)));
        });

    /// <inheritdoc />
    public Task<bool> PersistAsync(string @namespace, string key, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = Command(Persist, @namespace, key);
            return await command.ExecuteNonQueryAsync(cancellation) > 0;
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueResult>> BatchSetAsync(string @namespace, IReadOnlyList<KeyValueWrite> items, CancellationToken cancellation) =>
        RunAsync<IReadOnlyList<KeyValueResult>>(async () =>
        {
            if (items.Count > 0)
            {
                // One round trip; a batch of several statements runs in one implicit transaction.
                await using var batch = _dataSource.CreateBatch();
                foreach (var item in items)
                {
                    var command = new NpgsqlBatchCommand(Set);
                    command.Parameters.AddWithValue("ns", @namespace);
                    command.Parameters.AddWithValue("key", item.Key);
                    command.Parameters.AddWithValue("value", NpgsqlDbType.Bytea, item.Value.ToArray());
                    batch.BatchCommands.Add(command);
                }

                await batch.ExecuteNonQueryAsync(cancellation);
            }

            return [.. items.Select(_ => KeyValueResult.Ok)];
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueLookup>> BatchGetAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation) =>
        RunAsync<IReadOnlyList<KeyValueLookup>>(async () =>
        {
            await using var command = _dataSource.CreateCommand(BatchGet);
            command.Parameters.AddWithValue("ns", @namespace);
            command.Parameters.AddWithValue("keys", keys.Distinct(StringComparer.Ordinal).ToArray());
            var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellation))
            {
                while (await reader.ReadAsync(cancellation))
                {
                    found[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
                }
            }

            return [.. keys.Select(k => found.TryGetValue(k, out var value) ? KeyValueLookup.Of(value) : KeyValueLookup.Missing)];
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValueResult>> BatchDeleteAsync(string @namespace, IReadOnlyList<string> keys, CancellationToken cancellation) =>
        RunAsync<IReadOnlyList<KeyValueResult>>(async () =>
        {
            await using var command = _dataSource.CreateCommand(BatchDelete);
            command.Parameters.AddWithValue("ns", @namespace);
            command.Parameters.AddWithValue("keys", keys.ToArray());
            await command.ExecuteNonQueryAsync(cancellation);
            return [.. keys.Select(_ => KeyValueResult.Ok)];
        });

    /// <summary>Deletes expired rows now; returns how many.</summary>
    public Task<int> PurgeAsync(CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand(Purge);
            return await command.ExecuteNonQueryAsync(cancellation);
        });

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _purge.DisposeAsync();

    private NpgsqlCommand Command(string sql, string @namespace, string key)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("ns", @namespace);
        command.Parameters.AddWithValue("key", key);
        return command;
    }

    private Task<T> RunAsync<T>(Func<Task<T>> operation) =>
        PostgresFailures.GuardAsync(_dataSource, _outage, async () =>
        {
            await _schema.EnsureAsync();
            return await operation();
        });

    private async Task CreateSchemaAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(Schema, connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        BackendLog.SchemaReady(_logger, "postgres key-value");
    }
}
