using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Prism.Identity.Storage;

/// <summary>
/// Group commit for the identity database. Connections commit with <c>synchronous=NORMAL</c> (the WAL
/// is written but not synced), and no response of a request that wrote leaves before
/// <see cref="FlushAsync"/> has synced the WAL: one fsync covers every commit made before it started,
/// so concurrent token requests share it instead of taking one each under the write lock. An
/// acknowledged token, revocation or code therefore survives a power cut exactly as with
/// <c>synchronous=FULL</c> (which syncs the same file at each commit); a write nobody was answered about
/// yet (pruning, start-up registration) may be lost and is redone. A killed process loses nothing either way.
/// </summary>
public sealed class IdentityDurability
{
    private static readonly AsyncLocal<RequestWrites?> Current = new();
    private readonly string? _wal;
    private readonly Lock _lock = new();
    private List<TaskCompletionSource> _waiting = [];
    private bool _syncing;

    /// <summary>Syncs <paramref name="database"/>'s WAL; nothing to sync for an in-memory database.</summary>
    public IdentityDurability(IdentityDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _wal = database.InMemory ? null : database.Description + "-wal";
    }

    /// <summary>Number of fsyncs done (for tests and the bench).</summary>
    public long Syncs { get; private set; }

    /// <summary>Starts tracking the writes of the current request (async flow).</summary>
    public static RequestWrites Track() => Current.Value = new RequestWrites();

    /// <summary>Marks the current request as having written.</summary>
    internal static void MarkWrite()
    {
        if (Current.Value is { } writes)
        {
            writes.Wrote = true;
        }
    }

    /// <summary>Completes once the WAL has been synced after this call began (joining a sync that starts later, not one in flight).</summary>
    public Task FlushAsync()
    {
        if (_wal is null)
        {
            return Task.CompletedTask;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add(waiter);
            if (!_syncing)
            {
                _syncing = true;
                _ = Task.Run(SyncLoop);
            }
        }

        return waiter.Task;
    }

    private void SyncLoop()
    {
        while (true)
        {
            List<TaskCompletionSource> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _syncing = false;
                    return;
                }

                batch = _waiting;
                _waiting = [];
            }

            try
            {
                SyncWal();
                batch.ForEach(w => w.SetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(w => w.SetException(e));
            }
        }
    }

    private void SyncWal()
    {
        Syncs++;
        try
        {
            // fsync is per file, not per descriptor: this makes durable every frame any connection wrote.
            using var wal = new FileStream(_wal!, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            wal.Flush(flushToDisk: true);
        }
        catch (FileNotFoundException)
        {
            // SQLite removes the WAL only after checkpointing it into the database and syncing that.
        }
    }

    /// <summary>Whether a request wrote to the store.</summary>
    public sealed class RequestWrites
    {
        /// <summary>True once a command other than a read ran in the request.</summary>
        public bool Wrote { get; internal set; }
    }
}

/// <summary>Marks the current request as writing when EF Core runs a command that is not a read.</summary>
internal sealed class IdentityWriteTracker : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Mark(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Mark(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Mark(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Mark(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Mark(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Mark(command);
        return ValueTask.FromResult(result);
    }

    private static void Mark(DbCommand command)
    {
        if (!command.CommandText.AsSpan().TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            IdentityDurability.MarkWrite();
        }
    }
}
