using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.ControlStore;

namespace Prism.Proxy.Credentials;

/// <summary>One session's credential on one backend instance, and the connection pool opened with it.</summary>
internal sealed class SessionLease(LeaseRecord record, BackendInstance backend, ICredentialSource source, DriverSet drivers, DateTimeOffset issuedAt)
{
    /// <summary>The lease as recorded (expiry moves with each renewal).</summary>
    public LeaseRecord Record { get; private set; } = record;

    /// <summary>The instance it was issued on; a replaced instance means a new credential.</summary>
    public BackendInstance Backend { get; } = backend;

    /// <summary>Where it was issued, and where it is renewed and revoked.</summary>
    public ICredentialSource Source { get; } = source;

    /// <summary>The session's drivers, authenticated as the credential.</summary>
    public DriverSet Drivers { get; } = drivers;

    /// <summary>When it was issued or last renewed.</summary>
    public DateTimeOffset RenewedAt { get; private set; } = issuedAt;

    /// <summary>True when renewal is due: half the lease lifetime has passed.</summary>
    public bool RenewalDue(DateTimeOffset now) => now - RenewedAt >= Backend.Credentials.LeaseTtl / 2;

    /// <summary>Records a renewal.</summary>
    public void Renewed(DateTimeOffset now, DateTimeOffset expiresAt)
    {
        RenewedAt = now;
        Record = Record with { ExpiresAt = expiresAt };
    }
}
