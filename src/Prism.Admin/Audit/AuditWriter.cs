using System.Threading.Channels;
using Prism.ControlStore;

namespace Prism.Admin.Audit;

/// <summary>
/// Writes the audit entries of reads, failures and denials with group commit: every caller
/// waits until its entry is durable, but entries that arrive together share one transaction,
/// so a busy server pays one disk flush per batch instead of one per call.
/// </summary>
internal sealed class AuditWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IControlStore _store;
    private readonly Task _loop;

    /// <summary>Starts the writer loop.</summary>
    public AuditWriter(IControlStore store)
    {
        _store = store;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Stores <paramref name="record"/>; completes once it is committed.</summary>
    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the audit writer has stopped");
        }

        return pending.Committed.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await _store.AppendAuditBatchAsync(batch.ConvertAll(p => p.Record), CancellationToken.None);
                batch.ForEach(p => p.Committed.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Committed.TrySetException(e));
            }

            batch.Clear();
        }
    }

    /// <summary>Finishes the queued entries, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private sealed record Pending(AuditRecord Record, TaskCompletionSource Committed);
}
