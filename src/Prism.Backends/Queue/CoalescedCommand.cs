namespace Prism.Backends.Queue;

/// <summary>
/// Runs one backend command for many items, as a consumer acks a batch of entries with one XACK: an item
/// submitted while no run is under way goes at once, alone; items submitted while one is under way wait and
/// go together in the next run (at most <paramref name="maxItems"/> per run). Each submitter gets the outcome
/// of the run that carried its item; a submitter that stops waiting does not take its item back.
/// </summary>
internal sealed class CoalescedCommand<T>(Func<IReadOnlyList<T>, Task> run, int maxItems)
{
    private readonly Lock _gate = new();
    private readonly Queue<(T Item, TaskCompletionSource Done)> _waiting = new();
    private bool _running;

    /// <summary>Runs <paramref name="item"/> with whatever else is waiting; completes when the run that carried it has.</summary>
    public Task RunAsync(T item, CancellationToken cancellation)
    {
        var done = new TaskCompletionSource();
        bool start;
        lock (_gate)
        {
            _waiting.Enqueue((item, done));
            start = !_running;
            _running = true;
        }

        if (start)
        {
            _ = RunWaitingAsync();
        }

        return done.Task.WaitAsync(cancellation);
    }

    private async Task RunWaitingAsync()
    {
        while (Take() is { } batch)
        {
            try
            {
                await run([.. batch.Select(w => w.Item)]);
                batch.ForEach(w => w.Done.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(w => w.Done.TrySetException(e));
            }
        }
    }

    /// <summary>The next items to run, or null (no run under way any more) when nothing waits.</summary>
    private List<(T Item, TaskCompletionSource Done)>? Take()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _running = false;
                return null;
            }

            var batch = new List<(T, TaskCompletionSource)>(Math.Min(_waiting.Count, maxItems));
            while (batch.Count < maxItems && _waiting.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            return batch;
        }
    }
}
