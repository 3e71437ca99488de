using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Prism.Identity.Storage;

/// <summary>
/// Lets one <c>SaveChanges</c> of this process write to the identity database at a time. SQLite has one
/// writer anyway; a writer that finds the lock taken sleeps in SQLite's busy handler (1, 2, 5, 10 … 100 ms),
/// which under 16 concurrent token requests turned a sub-millisecond insert into tail latencies of
/// hundreds of milliseconds. Waiting here instead hands the lock over as soon as it is free.
/// </summary>
internal sealed class IdentityWriteGate : SaveChangesInterceptor, IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly ConditionalWeakTable<DbContext, object> _holders = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        _writer.Wait();
        Hold(eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        Hold(eventData.Context);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public void Dispose() => _writer.Dispose();

    private void Hold(DbContext? context)
    {
        if (context is null || !_holders.TryAdd(context, this))
        {
            _writer.Release(); // not attributable to a context: do not risk holding the gate forever
        }
    }

    private void Release(DbContext? context)
    {
        if (context is not null && _holders.Remove(context))
        {
            _writer.Release();
        }
    }
}
