using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Backends.PubSub;

namespace Prism.Backends.Drivers.Memstore;

/// <summary>
/// The embedded pub/sub backend: per-topic ordered fan-out to the subscribers of this process.
/// Each subscriber has a bounded buffer (<see cref="BackendDriverOptions.SubscriberBuffer"/>);
/// one that fills it is disconnected with <see cref="SubscriberLaggingException"/>, so publishers
/// and other subscribers never wait for it. Nothing is kept for absent subscribers.
/// </summary>
public sealed class MemoryPubSub(TimeProvider time, BackendDriverOptions driverOptions, ILogger<MemoryPubSub>? logger = null) : IPubSub, IAsyncDisposable
{
    private readonly ActiveSubscriptions _subscriptions = new();
    private readonly ILogger _logger = logger ?? NullLogger<MemoryPubSub>.Instance;

    /// <inheritdoc />
    public string BackendName => "memstore";

    /// <inheritdoc />
    public IReadOnlySet<string> Capabilities { get; } = new HashSet<string> { Backends.Capabilities.PubSubBasic };

    /// <inheritdoc />
    public Task<string> PublishAsync(string @namespace, string topic, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata,
        MessageContext? context, CancellationToken cancellation)
    {
        var id = SubscribeOptions.NewMessageId(time);
        if (_subscriptions.Find(@namespace, topic) is { } subscribers)
        {
            var message = new PubSubMessage(topic, payload.ToArray(), Copy(metadata), id, SubscribeOptions.NowMs(time),
                context?.Normalised());
            lock (subscribers.Gate)
            {
                subscribers.Offer(message);
            }
        }

        return Task.FromResult(id);
    }

    /// <inheritdoc />
    public Task<IPubSubSubscription> SubscribeAsync(string @namespace, string topic, string subscriberId, SubscribeOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Durable)
        {
            throw new BackendCapabilityException(BackendName, Backends.Capabilities.PubSubDurable);
        }

        var subscribers = _subscriptions.Of(@namespace, topic);
        var subscription = new BufferedSubscription(topic, subscriberId, driverOptions.SubscriberBuffer, closed =>
        {
            subscribers.Remove(closed);
            return ValueTask.CompletedTask;
        }, () => BackendLog.SubscriberLagging(_logger, BackendName, topic, subscriberId));
        lock (subscribers.Gate)
        {
            subscribers.Add(subscription);
        }

        return Task.FromResult<IPubSubSubscription>(subscription);
    }

    /// <inheritdoc />
    public Task<bool> UnsubscribeAsync(string @namespace, string topic, string subscriberId, CancellationToken cancellation) =>
        _subscriptions.CloseAsync(@namespace, topic, subscriberId);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _subscriptions.CloseAllAsync();

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null ? [] : metadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
