using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Prism.Backends.PubSub;
using static Prism.Backends.Drivers.Postgres.PostgresPubSubSql;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// Pub/sub on PostgreSQL. A message is a row of <c>prism_pubsub_messages</c> (so payloads of any
/// size work) and a NOTIFY carrying its id; one LISTEN connection per process fetches the rows and
/// fans them out in commit order, which keeps one order per topic for every subscriber and every
/// proxy. Subscribers have the same bounded buffer and lagging policy as memstore. When the LISTEN
/// connection is lost, live subscriptions end with <see cref="BackendUnavailableException"/>
/// (messages in between would be missed); the next subscribe listens again. Rows older than
/// <see cref="BackendDriverOptions.PubSubRetention"/> are purged.
/// </summary>
public sealed class PostgresPubSub : IPubSub, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly BackendDriverOptions _options;
    private readonly ILogger _logger;
    private readonly ActiveSubscriptions _subscriptions = new();
    private readonly Initialiser _schema;
    private readonly PeriodicPurge _purge;
    private readonly SemaphoreSlim _listenerGate = new(1, 1);
    private PostgresListener? _listener;

    /// <summary>Creates the driver; the table is created and LISTEN started on first use.</summary>
    public PostgresPubSub(NpgsqlDataSource dataSource, TimeProvider time, BackendDriverOptions options, ILogger<PostgresPubSub>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _time = time;
        _options = options;
        _logger = logger ?? NullLogger<PostgresPubSub>.Instance;
        _schema = new Initialiser(CreateSchemaAsync);
        _purge = new PeriodicPurge(time, options.PurgeInterval, BackendName, PurgeAsync, _logger);
    }

    /// <inheritdoc />
    public string BackendName => "postgres";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string> { Backends.Capabilities.PubSubBasic };

    /// <inheritdoc />
    public Task<string> PublishAsync(string @namespace, string topic, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand(Publish);
            command.Parameters.AddWithValue("ns", @namespace);
            command.Parameters.AddWithValue("topic", topic);
            command.Parameters.AddWithValue("payload", NpgsqlDbType.Bytea, payload.ToArray());
            command.Parameters.AddWithValue("metadata", JsonSerializer.Serialize(metadata ?? new Dictionary<string, string>()));
            command.Parameters.AddWithValue("at", SubscribeOptions.NowMs(_time));
            var id = (long)(await command.ExecuteScalarAsync(cancellation))!;
            return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

    /// <inheritdoc />
    public Task<IPubSubSubscription> SubscribeAsync(string @namespace, string topic, string subscriberId, SubscribeOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Durable)
        {
            throw new BackendCapabilityException(BackendName, Backends.Capabilities.PubSubDurable);
        }

        return RunAsync<IPubSubSubscription>(async () =>
        {
            await EnsureListeningAsync(cancellation);
            var subscribers = _subscriptions.Of(@namespace, topic);
            var subscription = new BufferedSubscription(topic, subscriberId, _options.SubscriberBuffer, closed =>
            {
                subscribers.Remove(closed);
                return ValueTask.CompletedTask;
            }, () => BackendLog.SubscriberLagging(_logger, BackendName, topic, subscriberId));
            subscribers.Add(subscription);
            return subscription;
        });
    }

    /// <inheritdoc />
    public Task<bool> UnsubscribeAsync(string @namespace, string topic, string subscriberId, CancellationToken cancellation) =>
        _subscriptions.CloseAsync(@namespace, topic, subscriberId);

    /// <summary>Deletes messages older than the retention now; returns how many.</summary>
    public Task<int> PurgeAsync(CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand(Purge);
            command.Parameters.AddWithValue("before", SubscribeOptions.NowMs(_time) - (long)_options.PubSubRetention.TotalMilliseconds);
            return await command.ExecuteNonQueryAsync(cancellation);
        });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _purge.DisposeAsync();
        await _subscriptions.CloseAllAsync();
        if (_listener is { } listener)
        {
            await listener.DisposeAsync();
        }

        _listenerGate.Dispose();
    }

    private async Task EnsureListeningAsync(CancellationToken cancellation)
    {
        await _listenerGate.WaitAsync(cancellation);
        try
        {
            if (_listener is { Completion.IsCompleted: false })
            {
                return;
            }

            var listener = await PostgresListener.StartAsync(_dataSource, DeliverAsync, cancellation);
            _listener = listener;
            _ = WatchAsync(listener);
        }
        finally
        {
            _listenerGate.Release();
        }
    }

    private async Task WatchAsync(PostgresListener listener)
    {
        try
        {
            await listener.Completion;
        }
        catch (Exception e)
        {
            BackendLog.ListenerLost(_logger, BackendName, e);
            _dataSource.Clear();
            await _subscriptions.CloseAllAsync(new BackendUnavailableException(BackendName, "notification connection lost: " + e.Message, e));
        }
    }

    private async Task DeliverAsync(IReadOnlyList<long> ids, CancellationToken cancellation)
    {
        await using var command = _dataSource.CreateCommand(Fetch);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var rows = new Dictionary<long, (string Namespace, PubSubMessage Message)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                var id = reader.GetInt64(0);
                var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? [];
                var message = new PubSubMessage(reader.GetString(2), reader.GetFieldValue<byte[]>(3), metadata,
                    id.ToString(System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(5));
                rows[id] = (reader.GetString(1), message);
            }
        }

        foreach (var id in ids)
        {
            if (rows.TryGetValue(id, out var row) && _subscriptions.Find(row.Namespace, row.Message.Topic) is { } subscribers)
            {
                subscribers.Offer(row.Message);
            }
        }
    }

    private Task<T> RunAsync<T>(Func<Task<T>> operation) =>
        PostgresFailures.GuardAsync(_dataSource, _logger, async () =>
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
        BackendLog.SchemaReady(_logger, "postgres pub/sub");
    }
}
