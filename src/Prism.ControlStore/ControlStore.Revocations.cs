using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    private const string UpsertRevokedIdentitySql = """
        INSERT INTO revoked_identities ("identity", revoked_at, revoked_by, reason)
        VALUES (@identity, @revoked_at, @revoked_by, @reason)
        ON CONFLICT ("identity") DO UPDATE SET
            revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by, reason = excluded.reason
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<RevokedIdentityRecord>> ListRevokedIdentitiesAsync(CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var rows = await context.RevokedIdentities.AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Identity, StringComparer.Ordinal).Select(r => new RevokedIdentityRecord(r.Identity, r.RevokedAt, r.RevokedBy, r.Reason))];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionRecord>> TerminateIdentityAsync(
        string identity, DateTimeOffset revokedAt, string terminatedBy, string reason, AuditRecord audit, CancellationToken cancellationToken) =>
        MutateAsync<IReadOnlyList<SessionRecord>>(audit, async context =>
        {
            await SqlCommands.ExecuteAsync(context, UpsertRevokedIdentitySql, cancellationToken,
                ("@identity", identity),
                ("@revoked_at", database.TimeParameter(revokedAt)),
                ("@revoked_by", terminatedBy),
                ("@reason", reason));
            var rows = await context.Sessions
                .Where(s => s.Identity == identity && s.Status == (int)SessionStatus.Active)
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                row.Status = (int)SessionStatus.Terminated;
                row.TerminatedBy = terminatedBy;
                row.TerminationReason = reason;
            }

            await context.SaveChangesAsync(cancellationToken);
            return [.. rows.OrderBy(r => r.Id, StringComparer.Ordinal).Select(RowMapping.ToRecord)];
        }, cancellationToken);
}
