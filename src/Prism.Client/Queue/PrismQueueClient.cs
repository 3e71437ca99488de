using Google.Protobuf;
using Prism.Interfaces.Queue;

namespace Prism.Client;

/// <summary>
/// Queues of a namespace (<c>QueueBasicInterface</c>): publish with an idempotency key (made up when
/// none is given, so a retried publish is stored once), and members of consumer groups.
/// </summary>
public sealed class PrismQueueClient
{
    internal const string Service = "prism.interfaces.queue.QueueBasicInterface";
    private readonly PrismConnection _connection;
    private readonly string? _namespace;
    private readonly QueueBasicInterface.QueueBasicInterfaceClient _client;
    private readonly PublishCoalescer _publishes;

    /// <summary>A client of <paramref name="namespace"/> (default: the connection's).</summary>
    public PrismQueueClient(PrismConnection connection, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _namespace = @namespace;
        _client = new(connection.Channel);
        var stream = new PublishStream(async () =>
        {
            var (options, span) = await connection.StreamAsync(Service, "PublishStream", @namespace, CancellationToken.None);
            return (_client.PublishStream(options), span);
        });
        _publishes = new PublishCoalescer(connection.Options.PublishCallsInFlight, connection.Options.PublishBatchSize,
            async (request, cancellation) =>
                (await connection.UnaryAsync(Service, "Publish", @namespace, o => _client.PublishAsync(request, o), cancellation)).MessageId,
            async batch =>
            {
                try
                {
                    return await stream.SendAsync(batch);
                }
                catch (Exception)
                {
                    // The stream failed (or could not open): the batch goes again as a call, with the call's retries and token
                    // renewal deciding its outcome; the same idempotency keys keep what the stream stored from being stored twice.
                    return await connection.UnaryAsync(Service, "PublishBatch", @namespace, o => _client.PublishBatchAsync(batch, o), CancellationToken.None);
                }
            },
            () => PrismClientTelemetry.Start(Service, "Publish", connection.Endpoint, @namespace ?? connection.Namespace));
    }

    /// <summary>
    /// Publishes <paramref name="payload"/> on <paramref name="queue"/> and returns its message id, once
    /// stored. Every attempt carries the same <paramref name="idempotencyKey"/> (default: a new GUID).
    /// Concurrent publishes share calls (<see cref="PrismClientOptions.PublishCallsInFlight"/>).
    /// </summary>
    public async Task<string> PublishAsync(string queue, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata = null,
        string? idempotencyKey = null, CancellationToken cancellation = default)
    {
        var request = new QueuePublishRequest
        {
            Queue = queue,
            Payload = ByteString.CopyFrom(payload.Span),
            IdempotencyKey = idempotencyKey ?? Guid.NewGuid().ToString("N"),
        };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                request.Metadata[key] = value;
            }
        }

        return await _publishes.PublishAsync(request, cancellation);
    }

    /// <summary>Joins <paramref name="group"/> of <paramref name="queue"/> as a member; dispose it to leave.</summary>
    public async Task<QueueConsumer> ConsumeAsync(string queue, string group, QueueConsumerOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new QueueConsumerOptions();
        var join = new Join
        {
            Queue = queue,
            Group = group,
            ConsumerId = options.ConsumerId ?? "",
            MaxInFlight = options.MaxInFlight,
            VisibilityTimeoutMs = (long)options.VisibilityTimeout.TotalMilliseconds,
        };
        if (options.MaxRetries is { } retries)
        {
            join.MaxRetries = retries;
        }

        var (callOptions, span) = await _connection.StreamAsync(Service, "Consume", _namespace, cancellation);
        try
        {
            return await QueueConsumer.JoinAsync(_client.Consume(callOptions), join, span, cancellation);
        }
        catch
        {
            span?.Dispose();
            throw;
        }
    }
}

/// <summary>Options of a join; zero and null take the namespace's queue settings.</summary>
public sealed class QueueConsumerOptions
{
    /// <summary>Member id (empty: the proxy makes one up).</summary>
    public string? ConsumerId { get; set; }

    /// <summary>Unsettled messages held at most.</summary>
    public int MaxInFlight { get; set; }

    /// <summary>Time to settle a message before it is given out again.</summary>
    public TimeSpan VisibilityTimeout { get; set; }

    /// <summary>Redeliveries before a message becomes a dead letter.</summary>
    public int? MaxRetries { get; set; }
}
