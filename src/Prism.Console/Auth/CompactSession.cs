using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Prism.WebConsole.Auth;

/// <summary>
/// Keeps the session cookie under one 4 KB cookie: the principal keeps only the claims pages show, and the
/// ID token (used for nothing after sign-in) is not stored. Proxies with 8 KB header limits drop chunked
/// cookies of several kilobytes, which signs people out at random.
/// </summary>
internal static class CompactSession
{
    /// <summary>Claims the console reads: who is signed in. Admin takes the groups from the access token.</summary>
    private static readonly HashSet<string> KeptClaims = new(StringComparer.Ordinal)
    {
        "sub", ConsoleAuthentication.NameClaim, "name",
    };

    private static readonly HashSet<string> KeptTokens = new(StringComparer.Ordinal)
    {
        "access_token", "refresh_token", "expires_at", "token_type",
    };

    public static Task TrimAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            var kept = new ClaimsIdentity(
                identity.Claims.Where(c => KeptClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
                identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
            context.Principal = new ClaimsPrincipal(kept);
        }

        var tokens = context.Properties.GetTokens().Where(t => KeptTokens.Contains(t.Name)).ToList();
        context.Properties.StoreTokens(tokens);
        return Task.CompletedTask;
    }
}
