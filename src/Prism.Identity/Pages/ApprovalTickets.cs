using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Prism.Identity.Pages;

/// <summary>
/// Short-lived, tamper-proof proof that a person just signed in, carried by the approve/deny form
/// instead of a cookie. A ticket is bound to one purpose (the client and request it was issued for),
/// so it cannot be replayed elsewhere; a forged cross-site POST cannot produce one. Keys are
/// ephemeral: a restart only invalidates approvals in progress.
/// </summary>
public sealed class ApprovalTickets
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ITimeLimitedDataProtector _protector =
        new EphemeralDataProtectionProvider().CreateProtector("Prism.Identity.Approval").ToTimeLimitedDataProtector();

    /// <summary>A ticket saying <paramref name="subject"/> signed in for <paramref name="purpose"/>.</summary>
    public string Issue(string subject, string purpose) => _protector.Protect(purpose + "\n" + subject, Lifetime);

    /// <summary>The subject of a valid, unexpired <paramref name="ticket"/> issued for <paramref name="purpose"/>, or null.</summary>
    public string? Redeem(string? ticket, string purpose)
    {
        if (string.IsNullOrEmpty(ticket))
        {
            return null;
        }

        try
        {
            var payload = _protector.Unprotect(ticket);
            var newline = payload.IndexOf('\n', StringComparison.Ordinal);
            return newline > 0 && payload[..newline] == purpose ? payload[(newline + 1)..] : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
