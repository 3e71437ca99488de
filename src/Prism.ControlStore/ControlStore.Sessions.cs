using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    private const string SessionResource = "session";

    /// <summary>
    /// One statement, so concurrent proxies never race. A terminated session stays terminated (with its
    /// reason) when a proxy flushes counters after the operator's decision; its start time never changes.
    /// </summary>
    private const string UpsertSessionSql = """
        INSERT INTO sessions (id, "identity", client_id, namespace, proxy_id, status, started_at, last_activity,
                              requests, bytes_in, bytes_out, terminated_by, termination_reason)
        VALUES (@id, @identity, @client_id, @namespace, @proxy_id, @status, @started_at, @last_activity,
                @requests, @bytes_in, @bytes_out, @terminated_by, @termination_reason)
        ON CONFLICT (id) DO UPDATE SET
            "identity" = excluded."identity",
            client_id = excluded.client_id,
            namespace = excluded.namespace,
            proxy_id = excluded.proxy_id,
            status = CASE WHEN sessions.status = 2 THEN 2 ELSE excluded.status END,
            last_activity = excluded.last_activity,
            requests = excluded.requests,
            bytes_in = excluded.bytes_in,
            bytes_out = excluded.bytes_out,
            terminated_by = CASE WHEN sessions.status = 2 THEN sessions.terminated_by ELSE excluded.terminated_by END,
            termination_reason = CASE WHEN sessions.status = 2 THEN sessions.termination_reason ELSE excluded.termination_reason END
        """;

    /// <inheritdoc />
    public async Task UpsertSessionAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var context = database.CreateContext();
        await SqlCommands.ExecuteAsync(context, UpsertSessionSql, cancellationToken,
            ("@id", session.Id),
            ("@identity", session.Identity),
            ("@client_id", session.ClientId),
            ("@namespace", session.Namespace),
            ("@proxy_id", session.ProxyId),
            ("@status", (int)session.Status),
            ("@started_at", database.TimeParameter(session.StartedAt)),
            ("@last_activity", database.TimeParameter(session.LastActivity)),
            ("@requests", session.Requests),
            ("@bytes_in", session.BytesIn),
            ("@bytes_out", session.BytesOut),
            ("@terminated_by", session.TerminatedBy),
            ("@termination_reason", session.TerminationReason));
    }

    /// <inheritdoc />
    public async Task<SessionRecord?> GetSessionAsync(string id, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var row = await context.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        return row is null ? null : RowMapping.ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<Page<SessionRecord>> ListSessionsAsync(
        PageRequest page, string? @namespace, bool includeInactive, CancellationToken cancellationToken)
    {
        var size = PageSize(page);
        await using var context = database.CreateContext();
        var query = context.Sessions.AsNoTracking();
        if (!string.IsNullOrEmpty(@namespace))
        {
            query = query.Where(s => s.Namespace == @namespace);
        }

        if (!includeInactive)
        {
            query = query.Where(s => s.Status == (int)SessionStatus.Active);
        }

        if (page.AfterKey is { } after)
        {
            query = query.Where(s => s.Id.CompareTo(after) > 0);
        }

        var rows = await query.OrderBy(s => s.Id).Take(size + 1).ToListAsync(cancellationToken);
        return ToPage(rows, size, r => r.Id, RowMapping.ToRecord);
    }

    /// <inheritdoc />
    public Task<SessionRecord> TerminateSessionAsync(
        string id, string terminatedBy, string reason, AuditRecord audit, CancellationToken cancellationToken) =>
        MutateAsync(audit, async context =>
        {
            var row = await context.Sessions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
                ?? throw new ResourceNotFoundException(SessionResource, id);
            row.Status = (int)SessionStatus.Terminated;
            row.TerminatedBy = terminatedBy;
            row.TerminationReason = reason;
            await context.SaveChangesAsync(cancellationToken);
            return RowMapping.ToRecord(row);
        }, cancellationToken);
}
