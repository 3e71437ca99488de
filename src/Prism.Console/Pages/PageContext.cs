using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Prism.WebConsole.Auth;

namespace Prism.WebConsole.Pages;

/// <summary>What every page of one request needs: who is signed in and the antiforgery token of its forms.</summary>
internal sealed class PageContext
{
    private PageContext(HttpContext http, AntiforgeryTokenSet tokens)
    {
        Http = http;
        AntiforgeryToken = tokens.RequestToken ?? "";
        AntiforgeryField = tokens.FormFieldName;
        AntiforgeryHeader = tokens.HeaderName ?? "RequestVerificationToken";
    }

    public HttpContext Http { get; }

    public string AntiforgeryToken { get; }

    public string AntiforgeryField { get; }

    public string AntiforgeryHeader { get; }

    /// <summary>The signed-in user's email (or subject when the token has none).</summary>
    public string User => Http.User.FindFirstValue(ConsoleAuthentication.NameClaim) ?? Http.User.FindFirstValue("sub") ?? "unknown";

    /// <summary>The hidden antiforgery field of a form.</summary>
    public string TokenField => $"<input type=\"hidden\" name=\"{Html.E(AntiforgeryField)}\" value=\"{Html.E(AntiforgeryToken)}\">";

    /// <summary>True for a request htmx made to replace part of a page (not a boosted navigation).</summary>
    public bool IsPartial => Http.Request.Headers["HX-Request"] == "true" && Http.Request.Headers["HX-Boosted"] != "true";

    public static PageContext For(HttpContext http) =>
        new(http, http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http));
}
