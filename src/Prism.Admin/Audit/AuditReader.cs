using System.Runtime.CompilerServices;
using Prism.Admin.Calls;
using Prism.ControlStore;

namespace Prism.Admin.Audit;

/// <summary>Reads the audit trail, optionally following it as new entries are written by any process.</summary>
internal sealed class AuditReader(IControlStore store, TimeProvider time)
{
    /// <summary>How often a following reader polls the store.</summary>
    public static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Default number of entries when the request says 0.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Every entry from <paramref name="since"/> to <paramref name="until"/> (now when null), oldest first, page by page.</summary>
    public async IAsyncEnumerable<AuditRecord> ExportAsync(
        AdminCaller caller, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellation)
    {
        caller.Touches("audit");
        var end = until ?? time.GetUtcNow();
        if (since is { } from && end < from)
        {
            throw new AdminValidationException("until", "is before since");
        }

        var query = new AuditQuery(Since: since, Until: end, Limit: ControlStore.ControlStore.MaxAuditLimit);
        while (true)
        {
            var batch = await store.QueryAuditAsync(query, cancellation);
            foreach (var entry in batch)
            {
                yield return entry;
            }

            if (batch.Count < query.Limit)
            {
                yield break;
            }

            query = query with { AfterSequence = batch[^1].Sequence };
        }
    }

    /// <summary>Entries matching <paramref name="query"/>; with <paramref name="follow"/>, keeps delivering new ones until cancelled.</summary>
    public async IAsyncEnumerable<AuditRecord> ReadAsync(
        AdminCaller caller, AuditQuery query, bool follow, [EnumeratorCancellation] CancellationToken cancellation)
    {
        caller.Touches("audit", "", query.Namespace);
        if (query.Limit < 0)
        {
            throw new AdminValidationException("limit", "must not be negative");
        }

        if (query.Since is { } since && query.Until is { } until && until < since)
        {
            throw new AdminValidationException("until", "is before since");
        }

        if (query.NewestFirst)
        {
            if (follow)
            {
                throw new AdminValidationException("newest_first", "cannot be combined with follow");
            }

            if (query.Limit > ControlStore.ControlStore.MaxAuditLimit)
            {
                throw new AdminValidationException("limit", $"is at most {ControlStore.ControlStore.MaxAuditLimit} with newest_first");
            }

            foreach (var entry in await store.QueryAuditAsync(query with { Limit = query.Limit == 0 ? DefaultLimit : query.Limit }, cancellation))
            {
                yield return entry;
            }

            yield break;
        }

        var remaining = query.Limit == 0 ? DefaultLimit : query.Limit;
        var after = query.AfterSequence;
        while (true)
        {
            var batch = await store.QueryAuditAsync(query with { AfterSequence = after, Limit = follow ? 500 : remaining }, cancellation);
            foreach (var entry in batch)
            {
                after = entry.Sequence;
                yield return entry;
            }

            remaining -= batch.Count;
            if (!follow && (remaining <= 0 || batch.Count == 0))
            {
                yield break;
            }

            if (follow && batch.Count == 0)
            {
                await Task.Delay(FollowInterval, time, cancellation);
            }
        }
    }
}
