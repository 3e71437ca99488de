namespace Prism.ControlStore.Schema;

/// <summary>A row of <c>revoked_identities</c> (migration 6).</summary>
internal sealed class RevokedIdentityRow
{
    public required string Identity { get; set; }
    public DateTimeOffset RevokedAt { get; set; }
    public required string RevokedBy { get; set; }
    public required string Reason { get; set; }
}
