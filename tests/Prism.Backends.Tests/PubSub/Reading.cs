using Prism.Backends.PubSub;

namespace Prism.Backends.Tests.PubSub;

/// <summary>Reads a subscription in a test: one message at a time, each with a timeout.</summary>
public sealed class Reading : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IAsyncEnumerator<PubSubMessage> _messages;

    public Reading(IPubSubSubscription subscription)
    {
        Subscription = subscription;
        _messages = subscription.ReadAllAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);
    }

    public IPubSubSubscription Subscription { get; }

    /// <summary>The next message; fails if the stream ends or nothing comes within the timeout.</summary>
    public async Task<PubSubMessage> NextAsync()
    {
        Assert.True(await _messages.MoveNextAsync().AsTask().WaitAsync(Support.Timeouts.Await), "the subscription ended");
        return _messages.Current;
    }

    /// <summary>The next <paramref name="count"/> messages.</summary>
    public async Task<List<PubSubMessage>> NextAsync(int count)
    {
        var messages = new List<PubSubMessage>(count);
        for (var i = 0; i < count; i++)
        {
            messages.Add(await NextAsync());
        }

        return messages;
    }

    /// <summary>True when the stream ended normally; throws what it ended with otherwise.</summary>
    public async Task<bool> EndedAsync() => !await _messages.MoveNextAsync().AsTask().WaitAsync(Support.Timeouts.Await);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _messages.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }

        await Subscription.DisposeAsync();
        _stop.Dispose();
    }
}
