using Prism.Backends.Queue;

namespace Prism.Backends.Tests.Queue;

/// <summary>Reads one group member in a test: one message at a time, each with a timeout.</summary>
public sealed class Member : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IAsyncEnumerator<QueueMessage> _messages;
    private Task<bool> _pending = Task.FromResult(true);

    public Member(IQueueConsumer consumer)
    {
        Consumer = consumer;
        _messages = consumer.ReadAllAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);
    }

    public IQueueConsumer Consumer { get; }

    /// <summary>The next message; fails if the stream ends or nothing comes within the timeout.</summary>
    public async Task<QueueMessage> NextAsync()
    {
        _pending = _messages.MoveNextAsync().AsTask();
        Assert.True(await _pending.WaitAsync(Support.Timeouts.Await), "the consumer ended");
        return _messages.Current;
    }

    /// <summary>
    /// Starts reading the next message without waiting for it: the task ends true with the message in
    /// <see cref="Current"/>, false when the stream ends, or fails with the stream's error.
    /// </summary>
    public Task<bool> StartNext() => _pending = _messages.MoveNextAsync().AsTask();

    /// <summary>The message read by the last <see cref="StartNext"/> that ended true.</summary>
    public QueueMessage Current => _messages.Current;

    /// <summary>The next <paramref name="count"/> messages.</summary>
    public async Task<List<QueueMessage>> NextAsync(int count)
    {
        var messages = new List<QueueMessage>(count);
        for (var i = 0; i < count; i++)
        {
            messages.Add(await NextAsync());
        }

        return messages;
    }

    public async Task AckAsync(QueueMessage message) =>
        Assert.True(await Consumer.AckAsync(message.MessageId, default).WaitAsync(Support.Timeouts.Await), $"ack of {message.MessageId}");

    public async Task NackAsync(QueueMessage message, TimeSpan delay, string? error = null) =>
        Assert.True(await Consumer.NackAsync(message.MessageId, delay, error, default).WaitAsync(Support.Timeouts.Await), $"nack of {message.MessageId}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            // An async iterator cannot be disposed while a read is under way (one that timed out, say).
            await _pending.WaitAsync(Support.Timeouts.Await);
        }
        catch (Exception e) when (e is OperationCanceledException or BackendUnavailableException)
        {
            // Cancelled by the stop above, or the failure a test already asserted.
        }

        try
        {
            await _messages.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }

        await Consumer.DisposeAsync().AsTask().WaitAsync(Support.Timeouts.Await);
        _stop.Dispose();
    }
}
