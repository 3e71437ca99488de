using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Prism.Admin.V1;

namespace Prism.WebConsole.Admin;

/// <summary>Filters of the audit page.</summary>
/// <param name="Actor">Exact actor, or empty.</param>
/// <param name="Operation">Exact operation, or empty.</param>
/// <param name="Namespace">Exact namespace, or empty.</param>
public sealed record AuditFilter(string Actor, string Operation, string Namespace);

/// <summary>Where an older page starts: entries before this sequence, at or before this time.</summary>
/// <param name="BeforeSequence">Only entries with a smaller sequence.</param>
/// <param name="Until">Only entries at or before this time (the time of that entry).</param>
public sealed record AuditCursor(long BeforeSequence, DateTimeOffset Until);

/// <summary>One page of the audit log, newest first.</summary>
/// <param name="Entries">Newest first.</param>
/// <param name="Older">The cursor of the next older page, or null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditLogEntry> Entries, AuditCursor? Older);

/// <summary>
/// Pages the audit log newest first. <c>GetAuditLog</c> streams oldest first from <c>since</c>, so the
/// pager reads growing windows back from the cursor (1 hour, 1 day, everything)
/// and keeps only the newest entries of the first window that fills a page: usually one short read.
/// </summary>
public sealed class AuditPager(AdminChannel admin, TimeProvider time)
{
    /// <summary>Entries per page.</summary>
    public const int PageSize = 50;

    private static readonly TimeSpan?[] Windows =
        [TimeSpan.FromHours(1), TimeSpan.FromDays(1), null];

    /// <summary>The page ending at <paramref name="cursor"/> (the latest page when null).</summary>
    /// <exception cref="RpcException">Admin refused or failed (for example PERMISSION_DENIED without admin:audit).</exception>
    public async Task<AuditPage> PageAsync(HttpContext context, AuditFilter filter, AuditCursor? cursor)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var anchor = cursor?.Until ?? time.GetUtcNow();
        var newest = new Queue<AuditLogEntry>();
        foreach (var window in Windows)
        {
            var request = new GetAuditLogRequest
            {
                Actor = filter.Actor,
                Operation = filter.Operation,
                Namespace = filter.Namespace,
                Limit = int.MaxValue,
            };
            if (window is { } span)
            {
                request.Since = Timestamp.FromDateTimeOffset(anchor - span);
            }

            if (cursor is not null)
            {
                request.Until = Timestamp.FromDateTimeOffset(cursor.Until);
            }

            newest.Clear();
            var (client, options) = await admin.AsUserAsync(context);
            using var stream = client.GetAuditLog(request, options);
            while (await stream.ResponseStream.MoveNext(context.RequestAborted))
            {
                var entry = stream.ResponseStream.Current;
                if (cursor is not null && entry.Sequence >= cursor.BeforeSequence)
                {
                    continue;
                }

                newest.Enqueue(entry);
                if (newest.Count > PageSize + 1)
                {
                    newest.Dequeue();
                }
            }

            if (newest.Count > PageSize)
            {
                break;
            }
        }

        var entries = newest.Reverse().ToList();
        if (entries.Count <= PageSize)
        {
            return new AuditPage(entries, null);
        }

        entries.RemoveAt(entries.Count - 1);
        var oldest = entries[^1];
        return new AuditPage(entries, new AuditCursor(oldest.Sequence, oldest.Timestamp.ToDateTimeOffset()));
    }
}
