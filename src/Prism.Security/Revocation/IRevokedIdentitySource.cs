namespace Prism.Security.Revocation;

/// <summary>
/// Identities whose tokens issued before a time are refused (an operator terminated all their sessions).
/// Admin and proxy provide one backed by the shared control store; without one only the identity provider's
/// feed applies.
/// </summary>
public interface IRevokedIdentitySource
{
    /// <summary>Every revoked identity (subject, email or client id) and the time before which its tokens are refused.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> RevokedIdentitiesAsync(CancellationToken cancellationToken);
}

/// <summary>An <see cref="IRevokedIdentitySource"/> reading through a delegate (the host's control store).</summary>
public sealed class DelegatingRevokedIdentitySource(Func<CancellationToken, Task<IReadOnlyDictionary<string, DateTimeOffset>>> read) : IRevokedIdentitySource
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, DateTimeOffset>> RevokedIdentitiesAsync(CancellationToken cancellationToken) => read(cancellationToken);
}
