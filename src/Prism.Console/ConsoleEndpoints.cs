using Grpc.Core;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.WebConsole.Pages;

namespace Prism.WebConsole;

/// <summary>The console's middleware and endpoints.</summary>
public static partial class ConsoleEndpoints
{
    /// <summary>Path of the health probe (no sign-in, no host redirect).</summary>
    public const string HealthPath = "/healthz";

    /// <summary>Path of the vendored htmx.</summary>
    public const string HtmxPath = "/static/htmx.min.js";

    private const string HtmxResource = "Prism.WebConsole.Static.htmx.min.js";

    /// <summary>
    /// Security headers, the public host, sign-in, then the pages. Every page needs a signed-in user;
    /// every POST needs the antiforgery token; an access token admin no longer accepts ends the session.
    /// </summary>
    public static WebApplication MapPrismConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<ConsoleOptions>();
        app.Use((context, next) =>
        {
            SecurityHeaders(context.Response, options);
            return PublicHost.Redirect(context, options) ?? next(context);
        });
        app.Use(ShowFailuresAsync);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet(HealthPath, () => Results.Text("ok"));
        var htmx = ReadHtmx();
        app.MapGet(HtmxPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Bytes(htmx, "text/javascript; charset=utf-8");
        });

        var pages = app.MapGroup("").RequireAuthorization().DisableAntiforgery();
        pages.AddEndpointFilter(GuardAsync);
        SessionEndpoints.Map(app, pages);
        HomePages.Map(pages);
        NamespacePages.Map(pages);
        NamespaceEditPages.Map(pages);
        SessionPages.Map(pages);
        BackendPages.Map(pages);
        BackendEditPages.Map(pages);
        ApplyPages.Map(pages);
        ConfigPages.Map(pages);
        QueuePages.Map(pages);
        MaintenancePages.Map(pages);
        DrainPages.Map(pages);
        AuditPages.Map(pages);
        return app;
    }

    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return Results.Content(Html.Bare("Request refused",
                "<p class=\"error\" role=\"alert\">The form was missing its antiforgery token or it did not match your session. Reload the page and try again.</p>"),
                PageResponse.HtmlType, statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            return await next(invocation);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
        {
            // The token expired or admin no longer accepts it: sign in again, then come back here.
            LogSessionRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleEndpoints)), e.Status.Detail);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            var returnTo = HttpMethods.IsGet(http.Request.Method) ? http.Request.Path + http.Request.QueryString : "/";
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnTo });
        }
    }

    /// <summary>
    /// A failure no page handled (typically the issuer's discovery document cannot be fetched while
    /// signing someone in) becomes a page that says what failed, instead of an empty 500.
    /// </summary>
    private static async Task ShowFailuresAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            LogRequestFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleEndpoints)), e, context.Request.Path);
            context.Response.Clear();
            SecurityHeaders(context.Response, context.RequestServices.GetRequiredService<ConsoleOptions>());
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.Response.ContentType = PageResponse.HtmlType;
            await context.Response.WriteAsync(Html.Bare("Console unavailable",
                $"<p class=\"error\" role=\"alert\">The console could not complete this request: {Html.E(e.Message)}</p>"
                + "<p class=\"muted\">Is the identity provider (PRISM_OIDC_ISSUER) running? <a href=\"/\">Try again</a></p>"));
        }
    }

    private static void SecurityHeaders(HttpResponse response, ConsoleOptions options)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        // A form post that needs a new sign-in is redirected to the issuer, so form-action allows it.
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + $"frame-ancestors 'none'; base-uri 'none'; form-action 'self' {options.Issuer.GetLeftPart(UriPartial.Authority)}";
    }

    private static byte[] ReadHtmx()
    {
        using var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream(HtmxResource)
            ?? throw new InvalidOperationException($"Embedded resource {HtmxResource} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [LoggerMessage(EventId = 2, EventName = "RequestFailed", Level = LogLevel.Error, Message = "request {Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception error, string path);

    [LoggerMessage(EventId = 1, EventName = "SessionRejectedByAdmin", Level = LogLevel.Information,
        Message = "admin rejected the session's access token ({Reason}); signing the user in again")]
    private static partial void LogSessionRejected(ILogger logger, string reason);
}
