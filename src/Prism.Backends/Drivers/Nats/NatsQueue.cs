using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using static Prism.Backends.Drivers.Nats.NatsQueueNames;

using Prism.Backends.Health;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// Queues on NATS JetStream (names in <see cref="NatsQueueNames"/>). A group is a durable pull consumer
/// with explicit acks: AckWait is the visibility timeout and a nack is a NAK with delay. The server redelivers
/// without limit (MaxDeliver -1) and the driver counts: a message delivered once more than allowed (its last
/// delivery timed out, or was lost on the way, as into a fetch its member gave up on) is moved to the
/// dead-letter stream and terminated when it comes (with the consumer's error on a nack). A server-side limit
/// would strand a message whose final delivery is lost: JetStream would never deliver it again. Members fetch without
/// waiting, every <see cref="BackendDriverOptions.QueuePollInterval"/> when idle. Id, time, context and
/// metadata travel in headers (<see cref="NatsMessageHeaders"/>); the message id is the stream sequence.
/// An idempotency key becomes the <c>Nats-Msg-Id</c>, which the stream remembers for exactly
/// <see cref="BackendDriverOptions.QueueDedupWindow"/> (its duplicate window). First deliveries follow
/// stream order. Messages are kept (file storage) for <see cref="BackendDriverOptions.QueueRetention"/>.
/// </summary>
public sealed class NatsQueue : IQueue, IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStream;
    private readonly TimeProvider _time;
    private readonly BackendDriverOptions _options;
    private readonly ILogger _logger;
    private readonly OutageLog _outage;
    private readonly Initialiser _streams;
    private readonly ActiveConsumers _consumers = new();
    private readonly int _replicas;

    /// <summary>Creates the driver on the shared connection; the streams are created on first use, with <paramref name="replicas"/> replicas.</summary>
    public NatsQueue(NatsConnection connection, TimeProvider time, BackendDriverOptions options, ILogger<NatsQueue>? logger = null, int replicas = 1)
    {
        _replicas = replicas;
        _connection = connection;
        _jetStream = new NatsJSContext(connection);
        _time = time;
        _options = options;
        _logger = logger ?? NullLogger<NatsQueue>.Instance;
        _outage = new OutageLog(_logger, "nats");
        _streams = new Initialiser(CreateStreamsAsync);
    }

    /// <inheritdoc />
    public string BackendName => "nats";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.QueueBasic, Backends.Capabilities.QueueDeadLetter, Backends.Capabilities.QueueDurable,
    };

    internal TimeProvider Time => _time;

    internal NatsConnection Connection => _connection;

    internal TimeSpan PollInterval => _options.QueuePollInterval;

    internal TimeSpan OutageWindow => _options.QueueOutageWindow;

    /// <inheritdoc />
    public Task<string> EnqueueAsync(string @namespace, string queue, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, string? idempotencyKey, CancellationToken cancellation) =>
        RunAsync(() => PublishAsync(Subject(@namespace, queue), payload,
            Headers(@namespace, queue, idempotencyKey, metadata, context, SubscribeOptions.NowMs(_time)), cancellation), cancellation);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> EnqueueBatchAsync(string @namespace, string queue, IReadOnlyList<QueueEntry> entries, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return RunAsync<IReadOnlyList<string>>(async () =>
        {
            // JetStream has no batch publish here: every message is sent at once, and the acks are awaited together.
            var subject = Subject(@namespace, queue);
            var now = SubscribeOptions.NowMs(_time);
            var publishes = entries.Select(e =>
                PublishAsync(subject, e.Payload, Headers(@namespace, queue, e.IdempotencyKey, e.Metadata, e.Context, now), cancellation)).ToArray();
            return await Task.WhenAll(publishes);
        }, cancellation);
    }

    /// <inheritdoc />
    public Task<IQueueConsumer> ConsumeAsync(string @namespace, string queue, string group, string consumerId, ConsumeOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return RunAsync<IQueueConsumer>(async () =>
        {
            var config = new ConsumerConfig(Consumer(@namespace, queue, group))
            {
                FilterSubject = Subject(@namespace, queue),
                AckPolicy = ConsumerConfigAckPolicy.Explicit,
                DeliverPolicy = ConsumerConfigDeliverPolicy.All,
                AckWait = options.VisibilityTimeout,
                // No server limit: the driver dead-letters a message delivered more often than allowed (see the summary).
                MaxDeliver = -1,
                MaxAckPending = -1,
            };
            var jsConsumer = await _jetStream.CreateOrUpdateConsumerAsync(MessagesStream, config, cancellation);
            var consumer = new NatsQueueConsumer(this, jsConsumer, @namespace, queue, group, consumerId, options, _consumers.Remove);
            _consumers.Add(consumer);
            consumer.Start();
            return consumer;
        }, cancellation);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string @namespace, string queue, string? after, int limit, CancellationToken cancellation)
    {
        ulong start = 0;
        if (limit <= 0 || (after is not null && !ulong.TryParse(after, CultureInfo.InvariantCulture, out start)))
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>([]);
        }

        return RunAsync<IReadOnlyList<DeadLetter>>(async () =>
        {
            var subject = DeadSubject(@namespace, queue);
            var dead = new List<DeadLetter>();
            var next = start + 1;
            while (dead.Count < limit && await StoredAsync(new StreamMsgGetRequest { Seq = next, NextBySubj = subject }, cancellation) is { } stored)
            {
                dead.Add(DeadLetterOf(queue, stored));
                next = stored.Seq + 1;
            }

            return dead;
        }, cancellation);
    }

    /// <inheritdoc />
    public Task<DeadLetter?> GetDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation) =>
        !ulong.TryParse(deadLetterId, CultureInfo.InvariantCulture, out var seq)
            ? Task.FromResult<DeadLetter?>(null)
            : RunAsync(async () => await DeadLetterAsync(@namespace, queue, seq, cancellation) is { } stored ? DeadLetterOf(queue, stored) : null, cancellation);

    /// <inheritdoc />
    public Task<string?> ReplayDeadLetterAsync(string @namespace, string queue, string deadLetterId, CancellationToken cancellation) =>
        !ulong.TryParse(deadLetterId, CultureInfo.InvariantCulture, out var seq)
            ? Task.FromResult<string?>(null)
            : RunAsync<string?>(async () =>
            {
                if (await DeadLetterAsync(@namespace, queue, seq, cancellation) is not { } stored)
                {
                    return null;
                }

                var letter = DeadLetterOf(queue, stored);
                var headers = NatsMessageHeaders.Write(null, SubscribeOptions.NowMs(_time), letter.Metadata, letter.Context);
                var id = await PublishAsync(Subject(@namespace, queue), letter.Payload, headers, cancellation);
                await _jetStream.DeleteMessageAsync(DeadLettersStream, new StreamMsgDeleteRequest { Seq = seq }, cancellation);
                return id;
            }, cancellation);

    /// <inheritdoc />
    public Task<long> PurgeDeadLettersAsync(string @namespace, string queue, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            var stream = await _jetStream.GetStreamAsync(DeadLettersStream, cancellationToken: cancellation);
            var purged = await stream.PurgeAsync(new StreamPurgeRequest { Filter = DeadSubject(@namespace, queue) }, cancellation);
            return (long)purged.Purged;
        }, cancellation);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _consumers.CloseAllAsync();

    /// <summary>Stores a dead letter of <paramref name="group"/>: the message as it was, with the group, attempts, error and time in headers.</summary>
    internal async Task DeadLetterAsync(string @namespace, string group, QueueMessage message, int attempts, string error, CancellationToken cancellation)
    {
        // One per message and group: dead-lettering it again (it came back because the step after this one failed, or
        // a member held it past the visibility timeout and then rejected it) is dropped. A replay is a new message id.
        var dedup = $"{Consumer(@namespace, message.Queue, group)}-{message.MessageId}";
        var headers = NatsMessageHeaders.Write(dedup, message.EnqueuedAt, message.Metadata, message.Context);
        NatsDeadLetterHeaders.Add(headers, group, message.MessageId, attempts, error, SubscribeOptions.NowMs(_time));
        await PublishAsync(DeadSubject(@namespace, message.Queue), message.Payload, headers, cancellation);
    }

    /// <summary>Runs <paramref name="operation"/> once connected and the streams exist, turning unavailability into <see cref="BackendUnavailableException"/>.</summary>
    internal async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellation)
    {
        try
        {
            await NatsAvailability.EnsureConnectedAsync(_connection, cancellation);
            await _streams.EnsureAsync().WaitAsync(cancellation);
            var result = await operation();
            _outage.Succeeded();
            return result;
        }
        catch (Exception e) when (NatsAvailability.IsUnavailable(e, cancellation))
        {
            throw _outage.Failed(NatsAvailability.Unavailable(e, _connection));
        }
    }

    /// <summary>A new message's headers: an idempotency key becomes its <c>Nats-Msg-Id</c>.</summary>
    private static NatsHeaders Headers(string @namespace, string queue, string? idempotencyKey, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, long now) =>
        NatsMessageHeaders.Write(idempotencyKey is null ? null : IdempotencyId(@namespace, queue, idempotencyKey), now, metadata, context);

    /// <summary>Publishes and returns the stream sequence; a duplicate returns the sequence of the first.</summary>
    private async Task<string> PublishAsync(string subject, ReadOnlyMemory<byte> payload, NatsHeaders headers, CancellationToken cancellation)
    {
        var ack = await _jetStream.PublishAsync(subject, payload, headers: headers, cancellationToken: cancellation)
            .AsTask().WaitAsync(NatsAvailability.AckTimeout, cancellation);
        if (ack.Error is { } error)
        {
            throw new NatsJSApiException(error);
        }

        return ack.Seq.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<StoredMessage?> DeadLetterAsync(string @namespace, string queue, ulong seq, CancellationToken cancellation) =>
        await StoredAsync(new StreamMsgGetRequest { Seq = seq }, cancellation) is { } stored && stored.Subject == DeadSubject(@namespace, queue) ? stored : null;

    /// <summary>A message of the dead-letter stream, or null when there is none.</summary>
    private async Task<StoredMessage?> StoredAsync(StreamMsgGetRequest request, CancellationToken cancellation)
    {
        try
        {
            var stream = await _jetStream.GetStreamAsync(DeadLettersStream, cancellationToken: cancellation);
            return (await stream.GetAsync(request, cancellation)).Message;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return null;
        }
    }

    private DeadLetter DeadLetterOf(string queue, StoredMessage stored)
    {
        var headers = new NatsHeaders();
        if (stored.Hdrs is { } raw)
        {
            _connection.HeaderParser.ParseHeaders(new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromBase64String(raw))), headers);
        }

        var message = NatsMessageHeaders.Read(queue, stored.Data.ToArray(), headers, stored.Time.ToUnixTimeMilliseconds());
        var (group, messageId, attempts, error, deadAt) = NatsDeadLetterHeaders.Read(headers);
        return new DeadLetter(stored.Seq.ToString(CultureInfo.InvariantCulture), queue, group, messageId, message.Payload, message.Metadata, message.Context,
            message.Timestamp, attempts, error, deadAt);
    }

    private async Task CreateStreamsAsync()
    {
        await _jetStream.CreateOrUpdateStreamAsync(new StreamConfig(MessagesStream, [AllQueues])
        {
            MaxAge = _options.QueueRetention,
            DuplicateWindow = _options.QueueDedupWindow,
            Storage = StreamConfigStorage.File,
            NumReplicas = _replicas,
        });
        await _jetStream.CreateOrUpdateStreamAsync(new StreamConfig(DeadLettersStream, [AllDeadLetters]) { Storage = StreamConfigStorage.File, NumReplicas = _replicas });
        BackendLog.SchemaReady(_logger, "nats streams " + MessagesStream + ", " + DeadLettersStream);
    }
}
