using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using static Prism.Backends.Drivers.Postgres.PostgresQueueSql;

using Prism.Backends.Health;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// Queues in PostgreSQL tables (<see cref="PostgresQueueSql"/>): members claim deliveries with
/// <c>FOR UPDATE SKIP LOCKED</c>, polling every <see cref="BackendDriverOptions.QueuePollInterval"/>; a
/// nack or a delivery sets <c>visible_at</c>. Context travels in columns beside payload and metadata.
/// Durable as the database is. First deliveries follow message ids, which is enqueue order for enqueues
/// that did not overlap. An idempotency key is remembered as long as its message is retained
/// (<see cref="BackendDriverOptions.QueueRetention"/>, which is at least the dedup window); messages older
/// than the retention are purged, delivered or not.
/// </summary>
public sealed class PostgresQueue : IQueue, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly BackendDriverOptions _options;
    private readonly ILogger _logger;
    private readonly OutageLog _outage;
    private readonly Initialiser _schema;
    private readonly PeriodicPurge _purge;
    private readonly ActiveConsumers _consumers = new();

    /// <summary>Creates the driver; the tables are created on first use.</summary>
    public PostgresQueue(NpgsqlDataSource dataSource, TimeProvider time, BackendDriverOptions options, ILogger<PostgresQueue>? logger = null,
        PostgresScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _time = time;
        _options = options;
        _logger = logger ?? NullLogger<PostgresQueue>.Instance;
        _outage = new OutageLog(_logger, "postgres");
        _schema = new Initialiser((scope ?? PostgresScope.Shared).CreatesSchema ? CreateSchemaAsync : () => Task.CompletedTask);
        _purge = new PeriodicPurge(time, options.PurgeInterval, BackendName, PurgeAsync, _logger);
    }

    /// <inheritdoc />
    public string BackendName => "postgres";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.QueueBasic, Backends.Capabilities.QueueDeadLetter, Backends.Capabilities.QueueDurable,
    };

    /// <inheritdoc />
    public Task<string> EnqueueAsync(string @namespace, string queue, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, string? idempotencyKey, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellation);
            await using (var transaction = await connection.BeginTransactionAsync(cancellation))
            {
                await LockAsync(connection, transaction, LockShared, @namespace, queue, cancellation);
                await using var command = Command(connection, transaction, Enqueue, @namespace, queue);
                command.Parameters.AddWithValue("payload", NpgsqlDbType.Bytea, payload.ToArray());
                command.Parameters.AddWithValue("metadata", JsonSerializer.Serialize(metadata ?? new Dictionary<string, string>()));
                command.Parameters.AddWithValue("at", SubscribeOptions.NowMs(_time));
                AddText(command, "key", idempotencyKey);
                AddContext(command, context);
                var id = await command.ExecuteScalarAsync(cancellation);
                await transaction.CommitAsync(cancellation);
                if (id is long stored)
                {
                    return Id(stored);
                }
            }

            // The key was taken; the first enqueue has committed (the unique index waited for it).
            await using var existing = Command(connection, null, ByIdempotencyKey, @namespace, queue);
            AddText(existing, "key", idempotencyKey);
            return Id((long)(await existing.ExecuteScalarAsync(cancellation))!);
        });

    /// <inheritdoc />
    public Task<IQueueConsumer> ConsumeAsync(string @namespace, string queue, string group, string consumerId, ConsumeOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return RunAsync<IQueueConsumer>(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellation);
            await using var exists = Command(connection, null, GroupExists, @namespace, queue);
            exists.Parameters.AddWithValue("grp", group);
            if (await exists.ExecuteScalarAsync(cancellation) is null)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                await LockAsync(connection, transaction, LockExclusive, @namespace, queue, cancellation);
                await using var create = Command(connection, transaction, CreateGroup, @namespace, queue);
                create.Parameters.AddWithValue("grp", group);
                await create.ExecuteNonQueryAsync(cancellation);
                await transaction.CommitAsync(cancellation);
            }

            var consumer = new PostgresQueueConsumer(this, @namespace, queue, group, consumerId, options, _consumers.Remove);
            _consumers.Add(consumer);
            consumer.Start();
            return consumer;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string @namespace, string queue, string? after, int limit, CancellationToken cancellation) =>
        RunAsync<IReadOnlyList<DeadLetter>>(async () =>
        {
            await using var command = Command(null, null, ListDeadLetters, @namespace, queue);
            command.Parameters.AddWithValue("after", after is not null && long.TryParse(after, CultureInfo.InvariantCulture, out var position) ? position : 0L);
            command.Parameters.AddWithValue("limit", Math.Max(limit, 0));
            return await ReadDeadLettersAsync(command, queue, cancellation);
        });

    /// <inheritdoc />
    public Task<DeadLetter?> GetDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation) =>
        !long.TryParse(deadLetterId, CultureInfo.InvariantCulture, out var id)
            ? Task.FromResult<DeadLetter?>(null)
            : RunAsync(async () =>
            {
                await using var command = Command(null, null, GetDeadLetter, @namespace, queue);
                command.Parameters.AddWithValue("id", id);
                return (await ReadDeadLettersAsync(command, queue, cancellation)).SingleOrDefault();
            });

    /// <inheritdoc />
    public Task<string?> ReplayDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation) =>
        !long.TryParse(deadLetterId, CultureInfo.InvariantCulture, out var id)
            ? Task.FromResult<string?>(null)
            : RunAsync(async () =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellation);
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                await LockAsync(connection, transaction, LockShared, @namespace, queue, cancellation);
                await using var command = Command(connection, transaction, Replay, @namespace, queue);
                command.Parameters.AddWithValue("id", id);
                command.Parameters.AddWithValue("at", SubscribeOptions.NowMs(_time));
                var replayed = await command.ExecuteScalarAsync(cancellation);
                await transaction.CommitAsync(cancellation);
                return replayed is long newId ? Id(newId) : null;
            });

    /// <inheritdoc />
    public Task<long> PurgeDeadLettersAsync(string @namespace, string queue, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = Command(null, null, PurgeDeadLetters, @namespace, queue);
            return (long)await command.ExecuteNonQueryAsync(cancellation);
        });

    /// <summary>Deletes messages older than the retention now, with their pending deliveries; returns how many.</summary>
    public Task<int> PurgeAsync(CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand(PurgeExpired);
            command.Parameters.AddWithValue("before", SubscribeOptions.NowMs(_time) - (long)_options.QueueRetention.TotalMilliseconds);
            return await command.ExecuteNonQueryAsync(cancellation);
        });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _consumers.CloseAllAsync();
        await _purge.DisposeAsync();
    }

    internal NpgsqlDataSource DataSource => _dataSource;

    internal TimeProvider Time => _time;

    internal TimeSpan PollInterval => _options.QueuePollInterval;

    internal TimeSpan OutageWindow => _options.QueueOutageWindow;

    internal ILogger Logger => _logger;

    /// <summary>Runs <paramref name="operation"/> once the tables exist, turning unavailability into <see cref="BackendUnavailableException"/>.</summary>
    internal Task<T> RunAsync<T>(Func<Task<T>> operation) =>
        PostgresFailures.GuardAsync(_dataSource, _outage, async () =>
        {
            await _schema.EnsureAsync();
            return await operation();
        });

    /// <summary>A command on <paramref name="connection"/> (null: the pool) with the namespace and queue parameters set.</summary>
    internal NpgsqlCommand Command(NpgsqlConnection? connection, NpgsqlTransaction? transaction, string sql, string @namespace, string queue)
    {
        var command = connection is null ? _dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("ns", @namespace);
        command.Parameters.AddWithValue("queue", queue);
        return command;
    }

    internal static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Payload, metadata, enqueue time and context from columns <paramref name="first"/> on (payload, metadata, enqueued_at, six context columns).</summary>
    internal (byte[] Payload, IReadOnlyDictionary<string, string> Metadata, long EnqueuedAt, MessageContext Context) ReadMessage(NpgsqlDataReader reader, int first)
    {
        Dictionary<string, string>? metadata = null;
        try
        {
            metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(first + 1));
        }
        catch (JsonException)
        {
            BackendLog.UnreadableMetadata(_logger, BackendName, "(queue row)");
        }

        string? Text(int column) => reader.IsDBNull(first + 3 + column) ? null : reader.GetString(first + 3 + column);
        var context = new MessageContext(Text(0), Text(1), Text(2), Text(3), Text(4), Text(5)).Normalised();
        return (reader.GetFieldValue<byte[]>(first), metadata ?? [], reader.GetInt64(first + 2), context);
    }

    private static void AddContext(NpgsqlCommand command, MessageContext? context)
    {
        var carried = context?.Normalised() ?? MessageContext.Empty;
        AddText(command, "subject", carried.PublisherSubject);
        AddText(command, "client_id", carried.PublisherClientId);
        AddText(command, "session_id", carried.SessionId);
        AddText(command, "context_namespace", carried.Namespace);
        AddText(command, "traceparent", carried.TraceParent);
        AddText(command, "tracestate", carried.TraceState);
    }

    private static void AddText(NpgsqlCommand command, string name, string? value) =>
        command.Parameters.AddWithValue(name, NpgsqlDbType.Text, (object?)value ?? DBNull.Value);

    /// <summary>Takes the queue's advisory lock for the transaction: shared to enqueue, exclusive to create a group.</summary>
    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string @namespace, string queue, CancellationToken cancellation)
    {
        var identity = Encoding.UTF8.GetBytes($"prism_queue:{@namespace.Length}:{@namespace}:{queue}");
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("lock", BitConverter.ToInt64(SHA256.HashData(identity), 0));
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private async Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(NpgsqlCommand command, string queue, CancellationToken cancellation)
    {
        var dead = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var (payload, metadata, enqueuedAt, context) = ReadMessage(reader, 3);
            dead.Add(new DeadLetter(Id(reader.GetInt64(0)), queue, reader.GetString(1), Id(reader.GetInt64(2)), payload, metadata, context, enqueuedAt,
                reader.GetInt32(12), reader.GetString(13), reader.GetInt64(14)));
        }

        return dead;
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(Schema, connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        BackendLog.SchemaReady(_logger, "postgres queue");
    }
}
