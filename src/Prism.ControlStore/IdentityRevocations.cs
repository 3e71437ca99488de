namespace Prism.ControlStore;

/// <summary>
/// Identities whose sessions an operator terminated all at once (TerminateSession with an identity): every
/// admin and proxy refuses their tokens issued before <see cref="RevokedIdentityRecord.RevokedAt"/>.
/// </summary>
public interface IIdentityRevocationLedger
{
    /// <summary>Every revoked identity (one row per identity: the latest termination).</summary>
    Task<IReadOnlyList<RevokedIdentityRecord>> ListRevokedIdentitiesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records that tokens of <paramref name="identity"/> issued before <paramref name="revokedAt"/> are refused and
    /// terminates every active session of it, in every namespace and on every proxy, with <paramref name="audit"/>,
    /// in one transaction. Returns the sessions it terminated.
    /// </summary>
    Task<IReadOnlyList<SessionRecord>> TerminateIdentityAsync(
        string identity, DateTimeOffset revokedAt, string terminatedBy, string reason, AuditRecord audit, CancellationToken cancellationToken);
}

/// <summary>One identity (token subject, email or client id) whose earlier tokens are refused.</summary>
public sealed record RevokedIdentityRecord(string Identity, DateTimeOffset RevokedAt, string RevokedBy, string Reason);
