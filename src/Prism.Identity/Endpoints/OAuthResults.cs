using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Server.AspNetCore;

namespace Prism.Identity.Endpoints;

/// <summary>Standard OAuth error responses rendered by OpenIddict.</summary>
internal static class OAuthResults
{
    /// <summary>An OAuth error (<paramref name="error"/>, e.g. invalid_grant) with a description.</summary>
    public static IResult Error(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>Asks OpenIddict to issue tokens (or an authorization code) for <paramref name="principal"/>.</summary>
    public static IResult SignIn(System.Security.Claims.ClaimsPrincipal principal, string? redirectUri = null) =>
        Results.SignIn(principal, new AuthenticationProperties { RedirectUri = redirectUri }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
}
