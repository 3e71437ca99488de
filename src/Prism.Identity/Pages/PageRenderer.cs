using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Prism.Identity.Pages;

/// <summary>
/// The few server-rendered pages (login, device verification, approval). Every value is HTML-encoded;
/// responses forbid framing and caching.
/// </summary>
internal static class PageRenderer
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}main{max-width:24rem;margin:4rem auto;background:#fff;" +
        "padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem}" +
        "input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem}" +
        "button{margin-top:1.2rem;padding:.5rem 1.2rem}.error{color:#b00020}.muted{color:#555}";

    public static IResult Page(HttpContext context, string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";
        var html = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
                   $"<title>{Encode(title)} · Prism</title><style>{Style}</style></head><body><main><h1>{Encode(title)}</h1>{body}</main></body></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string Error(string? message) => message is null ? "" : $"<p class=\"error\" role=\"alert\">{Encode(message)}</p>";

    public static string Hidden(IEnumerable<KeyValuePair<string, string?>> fields)
    {
        var html = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            html.Append($"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\">");
        }

        return html.ToString();
    }

    public static string Credentials(string? email) =>
        $"<label for=\"email\">Email</label><input id=\"email\" type=\"email\" name=\"{FormFields.Email}\" value=\"{Encode(email)}\" autocomplete=\"username\" required>" +
        $"<label for=\"password\">Password</label><input id=\"password\" type=\"password\" name=\"{FormFields.Password}\" autocomplete=\"current-password\" required>";

    public static string ApproveDeny(string ticket) =>
        $"<input type=\"hidden\" name=\"{FormFields.Ticket}\" value=\"{Encode(ticket)}\">" +
        $"<button type=\"submit\" name=\"{FormFields.Action}\" value=\"{FormFields.Approve}\">Approve</button> " +
        $"<button type=\"submit\" name=\"{FormFields.Action}\" value=\"{FormFields.Deny}\">Deny</button>";
}

/// <summary>Names of the page form fields; prefixed so they never collide with OAuth parameters.</summary>
internal static class FormFields
{
    public const string Email = "prism_email";
    public const string Password = "prism_password";
    public const string Ticket = "prism_ticket";
    public const string Action = "prism_action";
    public const string Approve = "approve";
    public const string Deny = "deny";

    public static bool IsPageField(string name) => name.StartsWith("prism_", StringComparison.Ordinal);
}
