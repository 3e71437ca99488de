namespace Prism.Backends.Credentials;

/// <summary>
/// Issues, renews and revokes per-session backend credentials. The built-in sources broker them
/// with the instance's administrative credential (PostgreSQL roles, Redis ACL users); a Vault
/// source would do the same through Vault's database secrets engine (see docs/credentials.md).
/// Every operation is idempotent, and none of them logs or returns a secret except
/// <see cref="IssueAsync"/>'s result.
/// </summary>
public interface ICredentialSource
{
    /// <summary>The principal a credential of lease <paramref name="leaseId"/> gets, known before it is issued so the lease can be recorded first.</summary>
    string PrincipalOf(string leaseId);

    /// <summary>
    /// Creates credential <paramref name="request"/>.Principal, limited to <paramref name="request"/>.Namespace's data
    /// and valid until <paramref name="request"/>.ExpiresAt. Nothing is left behind when it fails.
    /// </summary>
    /// <exception cref="CredentialIssueException">The backend refused (no privilege, quota, unreachable); the message names the reason.</exception>
    Task<SessionCredential> IssueAsync(CredentialRequest request, CancellationToken cancellation);

    /// <summary>Extends the backend-side validity of <paramref name="principal"/> to <paramref name="expiresAt"/>.</summary>
    /// <exception cref="CredentialIssueException">The principal is gone or the backend refused.</exception>
    Task RenewAsync(string principal, DateTimeOffset expiresAt, CancellationToken cancellation);

    /// <summary>Removes <paramref name="principal"/> and ends its connections; succeeds when it does not exist.</summary>
    Task RevokeAsync(string principal, CancellationToken cancellation);

    /// <summary>Checks, creating nothing, that the instance's credential may issue and revoke (a connection test for dynamic mode).</summary>
    /// <exception cref="CredentialIssueException">It may not; the message says what is missing.</exception>
    Task CheckAsync(CancellationToken cancellation);

    /// <summary>Every principal this source issued that still exists on the backend (for sweeping orphans).</summary>
    Task<IReadOnlyList<string>> ListIssuedAsync(CancellationToken cancellation);
}

/// <summary>What to issue.</summary>
/// <param name="LeaseId">The lease the credential belongs to; the principal name is derived from it.</param>
/// <param name="Namespace">The only namespace the credential may reach.</param>
/// <param name="ExpiresAt">When the backend stops accepting it unless renewed.</param>
public sealed record CredentialRequest(string LeaseId, string Namespace, DateTimeOffset ExpiresAt);

/// <summary>An issued credential. <see cref="ToString"/> leaves the secret out.</summary>
/// <param name="Principal">Role or user name: not secret, shown in session listings.</param>
/// <param name="Secret">Password: held in memory only, never stored, logged or traced.</param>
/// <param name="Namespace">The namespace it is limited to.</param>
public sealed record SessionCredential(string Principal, string Secret, string Namespace)
{
    /// <inheritdoc />
    public override string ToString() => $"{Principal} ({Namespace})";
}

/// <summary>A backend refused to issue or renew a credential; the message names the backend's reason, never a secret.</summary>
public sealed class CredentialIssueException(string message, Exception? inner = null) : Exception(message, inner);
