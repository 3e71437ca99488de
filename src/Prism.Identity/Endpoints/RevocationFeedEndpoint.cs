using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Prism.Identity.Accounts;
using Prism.Identity.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Prism.Identity.Endpoints;

/// <summary>
/// <c>GET /dex/token/revocations</c>, advertised in discovery as <c>prism_revocation_feed_endpoint</c>: what
/// admin and proxy must refuse although the signature still verifies. It lists only identifiers, never a token:
/// the ids (<c>oi_tkn_id</c>) of revoked tokens that have not expired, the authorization ids (<c>oi_au_id</c>)
/// whose grant was revoked (a revoked refresh token, as <c>prismctl logout</c> sends, ends every access
/// token of its grant), and the subjects of disabled users. A snapshot, small because expired tokens are
/// pruned; validators poll it every second.
/// </summary>
internal static class RevocationFeedEndpoint
{
    /// <summary>Discovery metadata naming the feed.</summary>
    public const string DiscoveryName = "prism_revocation_feed_endpoint";

    // Tokens this close past expiry may still pass a validator's clock skew.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(5);

    public static async Task<IResult> HandleAsync(
        HttpContext context, IdentityStoreContext store, StaticPasswordDirectory directory, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var stillLive = now - ExpiryMargin;
        var revoked = await store.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
            .Where(t => t.Status == Statuses.Revoked && (t.ExpirationDate == null || t.ExpirationDate > stillLive))
            .Select(t => new { t.Id, t.Type, AuthorizationId = t.Authorization == null ? null : t.Authorization.Id })
            .ToListAsync(context.RequestAborted);
        var revokedGrants = await store.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking()
            .Where(a => a.Status == Statuses.Revoked)
            .Select(a => a.Id)
            .ToListAsync(context.RequestAborted);

        var authorizations = revoked.Where(t => IsRefreshToken(t.Type) && t.AuthorizationId is not null).Select(t => t.AuthorizationId!)
            .Concat(revokedGrants.Where(id => id is not null).Select(id => id!))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new Dictionary<string, object>
        {
            ["generated_at"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["revoked_token_ids"] = revoked.Where(t => t.Id is not null).Select(t => t.Id!).Order(StringComparer.Ordinal).ToList(),
            ["revoked_authorization_ids"] = authorizations,
            ["disabled_subjects"] = directory.DisabledUserIds,
        });
    }

    private static bool IsRefreshToken(string? type) =>
        type is TokenTypeHints.RefreshToken or TokenTypeIdentifiers.RefreshToken;
}
