using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Prism.Backends.PubSub;

using Prism.Backends.Health;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// Pub/sub on NATS. Publishing goes through JetStream (stream <see cref="NatsSubjects.Stream"/>,
/// kept for <see cref="BackendDriverOptions.PubSubRetention"/>) and is acknowledged by the server.
/// Plain subscribers use core NATS on the topic's subject, with the same bounded buffer and
/// lagging policy as memstore. Durable subscribers (<c>durable=true</c>) use a JetStream durable
/// consumer named after the subscriber, which starts at the first message published after it was
/// created and resumes where it left off when the subscriber comes back. Id, timestamp, context and
/// metadata travel in NATS headers (<see cref="NatsMessageHeaders"/>), the payload as the raw body, so
/// a message any NATS client publishes on the subject is delivered too (with empty context).
/// </summary>
public sealed class NatsPubSub : IPubSub, IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStream;
    private readonly BackendDriverOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OutageLog _outage;
    private readonly ActiveSubscriptions _subscriptions = new();
    private readonly Initialiser _stream;
    private readonly int _replicas;

    /// <summary>Creates the driver on the shared connection; the stream is created on first use, with <paramref name="replicas"/> replicas.</summary>
    public NatsPubSub(NatsConnection connection, TimeProvider time, BackendDriverOptions options, ILogger<NatsPubSub>? logger = null, int replicas = 1)
    {
        _replicas = replicas;
        _connection = connection;
        _jetStream = new NatsJSContext(connection);
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<NatsPubSub>.Instance;
        _outage = new OutageLog(_logger, "nats");
        _stream = new Initialiser(CreateStreamAsync);
    }

    /// <inheritdoc />
    public string BackendName => "nats";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string> { Backends.Capabilities.PubSubBasic, Backends.Capabilities.PubSubDurable };

    /// <inheritdoc />
    public Task<string> PublishAsync(string @namespace, string topic, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            await _stream.EnsureAsync().WaitAsync(cancellation);
            var id = SubscribeOptions.NewMessageId(_time);
            var headers = NatsMessageHeaders.Write(id, SubscribeOptions.NowMs(_time), metadata, context);
            var ack = await _jetStream.PublishAsync(NatsSubjects.Of(@namespace, topic), payload, headers: headers, cancellationToken: cancellation)
                .AsTask().WaitAsync(NatsAvailability.AckTimeout, cancellation);
            ack.EnsureSuccess();
            return id;
        }, cancellation);

    /// <inheritdoc />
    public Task<IPubSubSubscription> SubscribeAsync(string @namespace, string topic, string subscriberId, SubscribeOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        return RunAsync(() => options.Durable
            ? SubscribeDurableAsync(@namespace, topic, subscriberId, cancellation)
            : SubscribeCoreAsync(@namespace, topic, subscriberId, cancellation), cancellation);
    }

    /// <inheritdoc />
    public Task<bool> UnsubscribeAsync(string @namespace, string topic, string subscriberId, CancellationToken cancellation) =>
        RunAsync(async () =>
        {
            var ended = await _subscriptions.CloseAsync(@namespace, topic, subscriberId);
            try
            {
                await _stream.EnsureAsync().WaitAsync(cancellation);
                ended |= await _jetStream.DeleteConsumerAsync(NatsSubjects.Stream, NatsSubjects.Consumer(@namespace, topic, subscriberId), cancellation);
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                // No durable position to forget.
            }

            return ended;
        }, cancellation);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _subscriptions.CloseAllAsync();

    private async Task<IPubSubSubscription> SubscribeCoreAsync(string @namespace, string topic, string subscriberId, CancellationToken cancellation)
    {
        var subscribers = _subscriptions.Of(@namespace, topic);
        var nats = await _connection.SubscribeCoreAsync<byte[]>(NatsSubjects.Of(@namespace, topic), cancellationToken: cancellation);
        var subscription = new BufferedSubscription(topic, subscriberId, _options.SubscriberBuffer, async closed =>
        {
            subscribers.Remove(closed);
            await nats.DisposeAsync();
        }, () => BackendLog.SubscriberLagging(_logger, BackendName, topic, subscriberId));
        subscribers.Add(subscription);
        _ = PumpAsync(nats, subscription);
        return subscription;
    }

    private async Task PumpAsync(INatsSub<byte[]> nats, BufferedSubscription subscription)
    {
        try
        {
            await foreach (var message in nats.Msgs.ReadAllAsync())
            {
                var delivered = NatsMessageHeaders.Read(subscription.Topic, message.Data, message.Headers, SubscribeOptions.NowMs(_time));
                if (!subscription.Offer(delivered))
                {
                    break;
                }
            }

            await subscription.CloseAsync();
        }
        catch (Exception e)
        {
            await subscription.CloseAsync(_outage.Failed(NatsAvailability.Unavailable(e, _connection)));
        }
    }

    private async Task<IPubSubSubscription> SubscribeDurableAsync(string @namespace, string topic, string subscriberId, CancellationToken cancellation)
    {
        await _stream.EnsureAsync().WaitAsync(cancellation);
        var config = new ConsumerConfig(NatsSubjects.Consumer(@namespace, topic, subscriberId))
        {
            FilterSubject = NatsSubjects.Of(@namespace, topic),
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            DeliverPolicy = ConsumerConfigDeliverPolicy.New,
            InactiveThreshold = _options.PubSubRetention,
        };
        var consumer = await _jetStream.CreateOrUpdateConsumerAsync(NatsSubjects.Stream, config, cancellation);
        var subscribers = _subscriptions.Of(@namespace, topic);
        var subscription = new NatsDurableSubscription(topic, subscriberId, consumer, _options.SubscriberBuffer, subscribers.Remove, _time);
        subscribers.Add(subscription);
        return subscription;
    }

    private async Task CreateStreamAsync()
    {
        await _jetStream.CreateOrUpdateStreamAsync(new StreamConfig(NatsSubjects.Stream, [NatsSubjects.All])
        {
            MaxAge = _options.PubSubRetention,
            Storage = StreamConfigStorage.File,
            NumReplicas = _replicas,
        });
        BackendLog.SchemaReady(_logger, "nats stream " + NatsSubjects.Stream);
    }

    private async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellation)
    {
        try
        {
            await NatsAvailability.EnsureConnectedAsync(_connection, cancellation);
            var result = await operation();
            _outage.Succeeded();
            return result;
        }
        catch (Exception e) when (NatsAvailability.IsUnavailable(e, cancellation))
        {
            throw _outage.Failed(NatsAvailability.Unavailable(e, _connection));
        }
    }
}
