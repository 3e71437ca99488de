using Prism.ControlStore;

namespace Prism.Proxy.Credentials;

/// <summary>Audit entries of credential leases: who, which lease, which backend principal, never the secret.</summary>
internal static class LeaseAudit
{
    public const string Issue = "IssueCredential";
    public const string Renew = "RenewCredential";
    public const string Revoke = "RevokeCredential";

    public static AuditRecord For(string operation, string actor, LeaseRecord lease, DateTimeOffset now, string? reason = null, string? error = null)
    {
        var metadata = new Dictionary<string, string>
        {
            ["backend"] = lease.Backend,
            ["principal"] = lease.Principal,
            ["session_id"] = lease.SessionId,
            ["proxy_id"] = lease.ProxyId,
            ["expires_at"] = lease.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (reason is not null)
        {
            metadata["reason"] = reason;
        }

        return new AuditRecord(Guid.NewGuid(), now, actor, [], operation, "credential_lease", lease.Id, lease.Namespace, null,
            error is null, error, error is null ? "OK" : "UNAVAILABLE", metadata);
    }
}
