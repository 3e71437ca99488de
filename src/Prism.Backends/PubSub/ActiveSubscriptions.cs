using System.Collections.Concurrent;

namespace Prism.Backends.PubSub;

/// <summary>The live subscriptions of one driver, grouped by namespace and topic, so fan-out and Unsubscribe find them.</summary>
public sealed class ActiveSubscriptions
{
    private readonly ConcurrentDictionary<(string Namespace, string Topic), TopicSubscribers> _topics = new();

    /// <summary>Every live subscription.</summary>
    public IEnumerable<ILiveSubscription> All => _topics.Values.SelectMany(t => t.Snapshot());

    /// <summary>The subscribers of one topic (created empty when there are none).</summary>
    public TopicSubscribers Of(string @namespace, string topic) => _topics.GetOrAdd((@namespace, topic), _ => new TopicSubscribers());

    /// <summary>The subscribers of one topic, or null when nobody ever subscribed here.</summary>
    public TopicSubscribers? Find(string @namespace, string topic) => _topics.GetValueOrDefault((@namespace, topic));

    /// <summary>Closes the live subscriptions of <paramref name="subscriberId"/> to a topic; true when there was one.</summary>
    public async Task<bool> CloseAsync(string @namespace, string topic, string subscriberId, Exception? error = null)
    {
        var matching = Find(@namespace, topic)?.Snapshot().Where(s => s.SubscriberId == subscriberId).ToList() ?? [];
        foreach (var subscription in matching)
        {
            await subscription.CloseAsync(error);
        }

        return matching.Count > 0;
    }

    /// <summary>Closes every live subscription.</summary>
    public async Task CloseAllAsync(Exception? error = null)
    {
        foreach (var subscription in All.ToList())
        {
            await subscription.CloseAsync(error);
        }
    }
}

/// <summary>The live subscriptions of one topic. Offer messages under <see cref="Gate"/> to keep one order for all.</summary>
public sealed class TopicSubscribers
{
    private readonly ConcurrentDictionary<ILiveSubscription, byte> _subscriptions = new();

    /// <summary>Lock that orders deliveries to this topic.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Adds a subscription.</summary>
    public void Add(ILiveSubscription subscription) => _subscriptions[subscription] = 0;

    /// <summary>Removes a subscription.</summary>
    public void Remove(ILiveSubscription subscription) => _subscriptions.TryRemove(subscription, out _);

    /// <summary>The subscriptions right now.</summary>
    public IReadOnlyCollection<ILiveSubscription> Snapshot() => [.. _subscriptions.Keys];

    /// <summary>Offers <paramref name="message"/> to every buffered subscription without waiting; lagging ones are disconnected.</summary>
    public void Offer(PubSubMessage message)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            (subscription as BufferedSubscription)?.Offer(message);
        }
    }
}

/// <summary>A subscription a driver can end from outside (Unsubscribe, lost connection, shutdown).</summary>
public interface ILiveSubscription
{
    /// <summary>The subscriber's id.</summary>
    string SubscriberId { get; }

    /// <summary>Ends the subscription; its reader sees <paramref name="error"/>, or a normal end when null.</summary>
    ValueTask CloseAsync(Exception? error = null);
}
