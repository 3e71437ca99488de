using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Prism.WebConsole.Pages;

/// <summary>Sign-out and the page after it.</summary>
internal static class SessionEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, RouteGroupBuilder pages)
    {
        // A form post with the antiforgery token (checked by the group's filter), so another site cannot sign people out.
        pages.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/signed-out");
        });

        endpoints.MapGet("/signed-out", () => Results.Content(Html.Bare("Signed out",
            "<p role=\"status\">You are signed out of the Prism console.</p><p><a href=\"/\">Sign in again</a></p>"), PageResponse.HtmlType));
    }
}
