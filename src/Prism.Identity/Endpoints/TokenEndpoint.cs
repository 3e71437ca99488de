using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Prism.Identity.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Prism.Identity.Endpoints;

/// <summary>
/// The token endpoint's application part. OpenIddict has already authenticated the client and
/// validated the grant (codes, device codes, refresh tokens, PKCE); this decides who the tokens are for.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, AccountAuthenticator accounts, StaticPasswordDirectory directory,
        TokenPrincipals principals, IOpenIddictApplicationManager applications)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsPasswordGrantType())
        {
            var result = accounts.SignIn(request.Username, request.Password, ClientAddress.Of(context));
            return result.User is { } user
                ? OAuthResults.SignIn(principals.ForUser(user, request.ClientId!, request.GetScopes()))
                : OAuthResults.Error(Errors.InvalidGrant, result.Error!);
        }

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!, context.RequestAborted);
            var name = application is null ? null : await applications.GetDisplayNameAsync(application, context.RequestAborted);
            return OAuthResults.SignIn(principals.ForClient(request.ClientId!, name, request.GetScopes()));
        }

        // Authorization code, device code and refresh token: OpenIddict validated the grant; refresh
        // the user's claims from the current configuration so removed users and groups take effect.
        var granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = granted.Principal?.GetClaim(Claims.Subject);
        if (directory.FindById(subject) is not { } current)
        {
            return OAuthResults.Error(Errors.InvalidGrant, "The user of this grant no longer exists or is disabled.");
        }

        return OAuthResults.SignIn(principals.ForUser(current, request.ClientId ?? granted.Principal!.GetClaim(Claims.ClientId)!,
            granted.Principal!.GetScopes()));
    }
}
