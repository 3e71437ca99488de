using System.Collections.Concurrent;

namespace Prism.Backends.Queue;

/// <summary>The live consumers of a queue driver, closed with it.</summary>
internal sealed class ActiveConsumers
{
    private readonly ConcurrentDictionary<IQueueConsumer, byte> _consumers = new();

    public void Add(IQueueConsumer consumer) => _consumers[consumer] = 0;

    public void Remove(IQueueConsumer consumer) => _consumers.TryRemove(consumer, out _);

    /// <summary>Disposes every live consumer.</summary>
    public async Task CloseAllAsync()
    {
        foreach (var consumer in _consumers.Keys)
        {
            await consumer.DisposeAsync();
        }
    }
}
