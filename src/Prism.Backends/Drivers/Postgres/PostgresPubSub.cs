using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Prism.Backends.PubSub;
using static Prism.Backends.Drivers.Postgres.PostgresPubSubSql;

using Prism.Backends.Health;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// Pub/sub on PostgreSQL. A message is a row of <c>prism_pubsub_messages</c> (so payloads of any
/// size work) and a NOTIFY carrying its id; one LISTEN connection per process fetches the rows and
/// fans them out in commit order, which keeps one order per topic for every subscriber and every
/// proxy. Subscribers have the same bounded buffer and lagging policy as memstore. When the LISTEN
/// connection is lost, the driver listens again and delivers the rows published meanwhile, so live
/// subscriptions miss nothing; if it cannot within <see cref="BackendDriverOptions.ListenerReconnectWindow"/>,
/// they end with <see cref="BackendUnavailableException"/>. Rows older than
/// <see cref="BackendDriverOptions.PubSubRetention"/> are purged.
/// </summary>
public sealed class PostgresPubSub : IPubSub, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly BackendDriverOptions _options;
    private readonly ILogger _logger;
    private readonly OutageLog _outage;
    private readonly ActiveSubscriptions _subscriptions = new();
    private readonly PostgresScope _scope;
    private readonly Initialiser _schema;
    private readonly PeriodicPurge _purge;
    // Ids a little below the highest seen may still commit (concurrent publishers): catch-up looks back this far.
    private const int CatchUpSlack = 1000;
    private const int CatchUpBatch = 256;
    private readonly SemaphoreSlim _listenerGate = new(1, 1);
    private readonly SemaphoreSlim _deliverGate = new(1, 1);
    private readonly SeenIds _seen = new(16 * CatchUpSlack);
    private readonly CancellationTokenSource _disposing = new();
    private PostgresListener? _listener;
    private long? _highestSeen;

    /// <summary>Creates the driver; the table is created and LISTEN started on first use.</summary>
    public PostgresPubSub(NpgsqlDataSource dataSource, TimeProvider time, BackendDriverOptions options, ILogger<PostgresPubSub>? logger = null,
        PostgresScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _time = time;
        _options = options;
        _logger = logger ?? NullLogger<PostgresPubSub>.Instance;
        _outage = new OutageLog(_logger, "postgres");
        _scope = scope ?? PostgresScope.Shared;
        _schema = new Initialiser(_scope.CreatesSchema ? CreateSchemaAsync : () => Task.CompletedTask);
        _purge = new PeriodicPurge(time, options.PurgeInterval, BackendName, PurgeAsync, _logger);
    }

    /// <inheritdoc />
    public string BackendName => "postgres";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string> { Backends.Capabilities.PubSubBasic };

    /// <inheritdoc />
    public Task<string> PublishAsync(string @namespace, string topic, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            var carried = context?.Normalised() ?? MessageContext.Empty;
            await using var command = _dataSource.CreateCommand(Publish);
            command.Parameters.AddWithValue("ns", @namespace);
            command.Parameters.AddWithValue("channel", _scope.Channel);
            command.Parameters.AddWithValue("topic", topic);
            command.Parameters.AddWithValue("payload", NpgsqlDbType.Bytea, payload.ToArray());
            command.Parameters.AddWithValue("metadata", JsonSerializer.Serialize(metadata ?? new Dictionary<string, string>()));
            command.Parameters.AddWithValue("at", SubscribeOptions.NowMs(_time));
            AddText(command, "subject", carried.PublisherSubject);
            AddText(command, "client_id", carried.PublisherClientId);
            AddText(command, "session_id", carried.SessionId);
            AddText(command, "context_namespace", carried.Namespace);
            AddText(command, "traceparent", carried.TraceParent);
            AddText(command, "tracestate", carried.TraceState);
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
        await _disposing.CancelAsync();
        await _purge.DisposeAsync();
        await _subscriptions.CloseAllAsync();
        if (_listener is { } listener)
        {
            await listener.DisposeAsync();
        }

        _listenerGate.Dispose();
        _deliverGate.Dispose();
        _disposing.Dispose();
    }

    /// <summary>Starts listening unless a listener runs; a listener that replaces a lost one first delivers what it missed.</summary>
    /// <returns>How many missed messages were delivered.</returns>
    private async Task<int> EnsureListeningAsync(CancellationToken cancellation)
    {
        await _listenerGate.WaitAsync(cancellation);
        try
        {
            if (_listener is { Completion.IsCompleted: false })
            {
                return 0;
            }

            var listener = await PostgresListener.StartAsync(_dataSource, _scope.Channel, DeliverAsync, cancellation);
            var caughtUp = 0;
            try
            {
                caughtUp = await CatchUpAsync(cancellation);
            }
            catch
            {
                await listener.DisposeAsync();
                throw;
            }

            _listener = listener;
            _ = WatchAsync(listener);
            return caughtUp;
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
            await ListenAgainAsync(e);
        }
    }

    /// <summary>Retries, backing off, while anyone subscribes; past the reconnect window the subscriptions end.</summary>
    private async Task ListenAgainAsync(Exception cause)
    {
        var started = _time.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(100);
        while (!_disposing.IsCancellationRequested && _subscriptions.All.Any())
        {
            try
            {
                BackendLog.ListenerRestored(_logger, BackendName, await EnsureListeningAsync(_disposing.Token));
                return;
            }
            catch (Exception e) when (!_disposing.IsCancellationRequested)
            {
                cause = e; // whatever it is, the window bounds the retries
            }

            if (_time.GetElapsedTime(started) >= _options.ListenerReconnectWindow)
            {
                BackendLog.ListenerGaveUp(_logger, BackendName, _options.ListenerReconnectWindow.TotalSeconds, cause);
                await _subscriptions.CloseAllAsync(new BackendUnavailableException(BackendName, BackendFailureCodes.ConnectionLost, "notification connection lost: " + cause.Message, cause));
                return;
            }

            try
            {
                await Task.Delay(pause, _time, _disposing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    /// <summary>
    /// On the first listener, remembers the highest message id (later ones are notified); on a later one,
    /// delivers the messages published since the last one seen, in id order.
    /// </summary>
    private async Task<int> CatchUpAsync(CancellationToken cancellation)
    {
        await _deliverGate.WaitAsync(cancellation);
        try
        {
            if (_highestSeen is not { } highest)
            {
                await using var command = _dataSource.CreateCommand(HighestId);
                _highestSeen = (long)(await command.ExecuteScalarAsync(cancellation))!;
                return 0;
            }

            var delivered = 0;
            var after = highest - CatchUpSlack;
            while (true)
            {
                await using var command = _dataSource.CreateCommand(IdsAfter);
                command.Parameters.AddWithValue("after", after);
                command.Parameters.AddWithValue("limit", CatchUpBatch);
                var ids = new List<long>();
                await using (var reader = await command.ExecuteReaderAsync(cancellation))
                {
                    while (await reader.ReadAsync(cancellation))
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }

                delivered += await DeliverUnseenAsync(ids, cancellation);
                if (ids.Count < CatchUpBatch)
                {
                    return delivered;
                }

                after = ids[^1];
            }
        }
        finally
        {
            _deliverGate.Release();
        }
    }

    private async Task DeliverAsync(IReadOnlyList<long> ids, CancellationToken cancellation)
    {
        await _deliverGate.WaitAsync(cancellation);
        try
        {
            await DeliverUnseenAsync(ids, cancellation);
        }
        finally
        {
            _deliverGate.Release();
        }
    }

    /// <summary>Fans out the messages of <paramref name="ids"/> not delivered before, in the given order; returns how many.</summary>
    private async Task<int> DeliverUnseenAsync(IReadOnlyList<long> ids, CancellationToken cancellation)
    {
        var unseen = ids.Where(_seen.Add).ToList();
        if (unseen.Count == 0)
        {
            return 0;
        }

        _highestSeen = Math.Max(_highestSeen ?? 0, unseen.Max());
        await using var command = _dataSource.CreateCommand(Fetch);
        command.Parameters.AddWithValue("ids", unseen.ToArray());
        var rows = new Dictionary<long, (string Namespace, PubSubMessage Message)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                var id = reader.GetInt64(0);
                rows[id] = (reader.GetString(1), ReadMessage(reader, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        foreach (var id in unseen)
        {
            if (rows.TryGetValue(id, out var row) && _subscriptions.Find(row.Namespace, row.Message.Topic) is { } subscribers)
            {
                subscribers.Offer(row.Message);
            }
        }

        return unseen.Count;
    }

    /// <summary>A fetched row as a message; a row Prism did not write (metadata not a JSON map) is still delivered.</summary>
    private PubSubMessage ReadMessage(NpgsqlDataReader reader, string id)
    {
        Dictionary<string, string>? metadata = null;
        try
        {
            metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4));
        }
        catch (JsonException)
        {
            BackendLog.UnreadableMetadata(_logger, BackendName, id);
        }

        string? Text(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
        var context = new MessageContext(Text(6), Text(7), Text(8), Text(9), Text(10), Text(11)).Normalised();
        return new PubSubMessage(reader.GetString(2), reader.GetFieldValue<byte[]>(3), metadata ?? [], id, reader.GetInt64(5), context);
    }

    private static void AddText(NpgsqlCommand command, string name, string? value) =>
        command.Parameters.AddWithValue(name, NpgsqlDbType.Text, (object?)value ?? DBNull.Value);

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
        BackendLog.SchemaReady(_logger, "postgres pub/sub");
    }
}

/// <summary>The last <c>capacity</c> message ids handed to subscribers, so a catch-up never delivers one twice.</summary>
internal sealed class SeenIds(int capacity)
{
    private readonly HashSet<long> _ids = [];
    private readonly Queue<long> _order = new();

    /// <summary>Records <paramref name="id"/>; false when it was seen already.</summary>
    public bool Add(long id)
    {
        if (!_ids.Add(id))
        {
            return false;
        }

        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }

        return true;
    }
}
