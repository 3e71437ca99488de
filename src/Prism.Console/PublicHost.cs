using Microsoft.AspNetCore.Http;

namespace Prism.WebConsole;

/// <summary>
/// Keeps people on the console's public URL: the OIDC redirect URI and the cookies belong to that
/// host, so a visit through another name (127.0.0.1 instead of localhost) is sent there first.
/// </summary>
internal static class PublicHost
{
    /// <summary>A redirect for a request on another host, or null to go on. Also takes the public scheme (TLS ended by a proxy in front).</summary>
    public static Task? Redirect(HttpContext context, ConsoleOptions options)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(ConsoleEndpoints.HealthPath, StringComparison.Ordinal)
            || string.Equals(request.Host.Value, options.PublicUrl.Authority, StringComparison.OrdinalIgnoreCase))
        {
            request.Scheme = options.PublicUrl.Scheme;
            return null;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            return context.Response.WriteAsync($"Use the console at {options.PublicUrl}");
        }

        context.Response.Redirect(OnPublicHost(options.PublicUrl, request));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The same path and query on the public host. Leading slashes are collapsed to one: a path such as
    /// <c>//evil.example/x</c> is a path on this host, never a scheme-relative URL to another site.
    /// </summary>
    internal static string OnPublicHost(Uri publicUrl, HttpRequest request)
    {
        var target = new UriBuilder(publicUrl)
        {
            Path = "/" + (request.Path.Value ?? "").TrimStart('/'),
            Query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
        };
        return target.Uri.AbsoluteUri;
    }
}
