using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Prism.Identity.Accounts;
using Prism.Identity.Configuration;
using Prism.Identity.Pages;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Prism.Identity.Endpoints;

/// <summary>
/// The device verification page (RFC 8628): the person enters the user code shown by the device,
/// signs in, and (unless <c>oauth2.skipApprovalScreen</c>) approves. OpenIddict resolves the user code.
/// </summary>
internal static class DeviceVerificationEndpoint
{
    private const string Title = "Connect a device";

    public static async Task<IResult> HandleAsync(
        HttpContext context, AccountAuthenticator accounts, StaticPasswordDirectory directory, TokenPrincipals principals,
        ApprovalTickets tickets, DexConfig config)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(request.UserCode))
        {
            return Form(context, request.UserCode, null, null);
        }

        var pending = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!pending.Succeeded || pending.Principal is null)
        {
            return Form(context, request.UserCode, (string?)request[FormFields.Email], "The code is not valid or has expired. Check it and try again.");
        }

        var clientId = pending.Principal.GetClaim(Claims.ClientId) ?? pending.Principal.GetPresenters().FirstOrDefault() ?? "";
        var scopes = pending.Principal.GetScopes();
        var purpose = "device:" + request.UserCode;
        if (tickets.Redeem((string?)request[FormFields.Ticket], purpose) is { } approvedSubject)
        {
            if ((string?)request[FormFields.Action] != FormFields.Approve || directory.FindById(approvedSubject) is not { } approved)
            {
                return Results.Forbid(new AuthenticationProperties { RedirectUri = IdentityEndpoints.DeviceDone + "?result=denied" },
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            return OAuthResults.SignIn(principals.ForUser(approved, clientId, scopes), IdentityEndpoints.DeviceDone);
        }

        var email = (string?)request[FormFields.Email];
        var result = accounts.SignIn(email, (string?)request[FormFields.Password], ClientAddress.Of(context));
        if (result.User is not { } user)
        {
            return Form(context, request.UserCode, email, result.Error);
        }

        if (config.SkipApprovalScreen)
        {
            return OAuthResults.SignIn(principals.ForUser(user, clientId, scopes), IdentityEndpoints.DeviceDone);
        }

        return PageRenderer.Page(context, Title,
            $"<p><strong>{PageRenderer.Encode(clientId)}</strong> asks to act as <strong>{PageRenderer.Encode(user.Email)}</strong> " +
            $"with the scopes <code>{PageRenderer.Encode(string.Join(' ', scopes))}</code>.</p>" +
            $"<form method=\"post\" action=\"{IdentityEndpoints.Device}\">{PageRenderer.Hidden([KeyValuePair.Create("user_code", (string?)request.UserCode)])}" +
            $"{PageRenderer.ApproveDeny(tickets.Issue(user.UserId, purpose))}</form>");
    }

    public static IResult Done(HttpContext context) =>
        context.Request.Query["result"] == "denied"
            ? PageRenderer.Page(context, "Device denied", "<p>The device was not connected. You can close this window.</p>")
            : PageRenderer.Page(context, "Device connected", "<p>You are signed in on your device. You can close this window.</p>");

    private static IResult Form(HttpContext context, string? userCode, string? email, string? error) =>
        PageRenderer.Page(context, Title,
            $"<p class=\"muted\">Enter the code shown by your device, then sign in.</p>{PageRenderer.Error(error)}" +
            $"<form method=\"post\" action=\"{IdentityEndpoints.Device}\"><label for=\"user_code\">Code</label>" +
            $"<input id=\"user_code\" type=\"text\" name=\"user_code\" value=\"{PageRenderer.Encode(userCode)}\" autocomplete=\"off\" required>" +
            $"{PageRenderer.Credentials(email)}<button type=\"submit\">Continue</button></form>",
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}
