using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Prism.Identity.Accounts;
using Prism.Identity.Configuration;
using Prism.Identity.Pages;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Prism.Identity.Endpoints;

/// <summary>
/// The authorization endpoint's application part: a login page that posts back to the endpoint with
/// the original request parameters (no cookie), then an optional approve/deny step. OpenIddict has
/// already validated the client, redirect URI and PKCE parameters before this runs.
/// </summary>
internal static class AuthorizeEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, AccountAuthenticator accounts, StaticPasswordDirectory directory, TokenPrincipals principals,
        ApprovalTickets tickets, DexConfig config, IOpenIddictApplicationManager applications, IConfiguration configuration)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var clientId = request.ClientId!;
        var purpose = "authorize:" + clientId + ":" + request.RedirectUri;

        if (tickets.Redeem((string?)request[FormFields.Ticket], purpose) is { } approvedSubject)
        {
            if ((string?)request[FormFields.Action] != FormFields.Approve)
            {
                return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            return directory.FindById(approvedSubject) is { } approved
                ? OAuthResults.SignIn(principals.ForUser(approved, clientId, request.GetScopes()))
                : OAuthResults.Error(Errors.AccessDenied, "The user no longer exists or is disabled.");
        }

        if (request.HasPromptValue(PromptValues.None))
        {
            return OAuthResults.Error(Errors.LoginRequired, "The user must sign in; this server keeps no session.");
        }

        var application = await applications.FindByClientIdAsync(clientId, context.RequestAborted);
        var clientName = application is null ? clientId : await applications.GetDisplayNameAsync(application, context.RequestAborted) ?? clientId;
        var (email, password) = DeveloperSignIn.Credentials(configuration, directory,
            (string?)request[DeveloperSignIn.Field], (string?)request[FormFields.Email], (string?)request[FormFields.Password]);
        string? error = null;
        if (HttpMethods.IsPost(context.Request.Method) && email is not null)
        {
            var result = accounts.SignIn(email, password, ClientAddress.Of(context));
            if (result.User is { } user)
            {
                if (config.SkipApprovalScreen)
                {
                    return OAuthResults.SignIn(principals.ForUser(user, clientId, request.GetScopes()));
                }

                return PageRenderer.Page(context, "Approve access",
                    $"<p><strong>{PageRenderer.Encode(clientName)}</strong> asks to act as <strong>{PageRenderer.Encode(user.Email)}</strong> " +
                    $"with the scopes <code>{PageRenderer.Encode(request.Scope)}</code>.</p>" +
                    $"<form method=\"post\" action=\"{IdentityEndpoints.Authorize}\">{OriginalParameters(request)}{PageRenderer.ApproveDeny(tickets.Issue(user.UserId, purpose))}</form>");
            }

            error = result.Error;
        }

        return PageRenderer.Page(context, "Sign in",
            $"<p class=\"muted\">{PageRenderer.Encode(clientName)} asks you to sign in.</p>{PageRenderer.Error(error)}" +
            $"<form method=\"post\" action=\"{IdentityEndpoints.Authorize}\">{OriginalParameters(request)}{PageRenderer.Credentials(email)}" +
            $"<button type=\"submit\">Sign in</button>{DeveloperSignIn.Button(configuration, directory)}</form>",
            error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }

    private static string OriginalParameters(OpenIddictRequest request) =>
        PageRenderer.Hidden(request.GetParameters()
            .Where(p => !FormFields.IsPageField(p.Key))
            .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
}
