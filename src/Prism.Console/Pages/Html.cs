using System.Globalization;
using System.Text.Encodings.Web;
using Google.Protobuf.WellKnownTypes;
using Prism.WebConsole.Admin;

namespace Prism.WebConsole.Pages;

/// <summary>HTML building blocks of the console. Everything that comes from admin or the user goes through <see cref="E"/>.</summary>
internal static class Html
{
    private const string Style = """
        body{font:14px system-ui,sans-serif;margin:0;color:#1d232b}
        nav{background:#1d3557;padding:8px 16px;display:flex;align-items:center;gap:16px}nav a{color:#fff;text-decoration:none;font-weight:600}
        nav a.active{text-decoration:underline}nav .user{margin-left:auto;color:#dfe6ee}nav form{margin:0}
        main{padding:16px;max-width:1200px}table{border-collapse:collapse;width:100%;margin:8px 0}
        td,th{padding:4px 8px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}th{background:#f4f6f8}
        code,.mono{font-family:ui-monospace,monospace;font-size:12px}form{margin:0 0 12px}form.inline{display:inline;margin:0}
        fieldset{border:1px solid #e3e6ea;padding:8px 12px;margin-bottom:12px}label{margin-right:12px}
        .error{color:#8a0d16;background:#fdecee;border:1px solid #f3b6bd;padding:8px 12px}
        .notice{color:#1b5e20;background:#e8f5e9;border:1px solid #a5d6a7;padding:8px 12px}
        .muted{color:#6c757d}.HEALTHY{color:#1b5e20}.DEGRADED{color:#b86e00}.UNHEALTHY{color:#c1121f}
        .htmx-indicator{opacity:0}.htmx-request .htmx-indicator,.htmx-request.htmx-indicator{opacity:1}
        """;

    // htmx swaps error pages too (they carry the message), never evaluates script strings, and keeps no page copies in localStorage.
    private const string HtmxConfig =
        """{"responseHandling":[{"code":"204","swap":false},{"code":"[2345]..","swap":true}],"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,"historyCacheSize":0,"refreshOnHistoryMiss":true,"selfRequestsOnly":true}""";

    private static readonly (string Path, string Label)[] Sections =
    [
        ("/", "Overview"), ("/namespaces", "Namespaces"), ("/sessions", "Sessions"), ("/backends", "Backends"), ("/apply", "Apply"), ("/configs", "Configs"), ("/queues", "Queues"), ("/maintenance", "Maintenance"), ("/drain", "Drain"), ("/audit", "Audit log"),
    ];

    /// <summary>HTML-encodes <paramref name="text"/> for element content and attribute values.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>URL-encodes a query value or path segment.</summary>
    public static string U(string? text) => UrlEncoder.Default.Encode(text ?? "");

    /// <summary>A whole page of the signed-in console: navigation, user, sign-out and <paramref name="body"/> (already HTML).</summary>
    public static string Layout(PageContext page, string title, string section, string body)
    {
        var nav = string.Concat(Sections.Select(s => $"<a href=\"{s.Path}\"{(s.Path == section ? " class=\"active\"" : "")}>{s.Label}</a>"));
        var headers = E($$"""{"{{page.AntiforgeryHeader}}":"{{page.AntiforgeryToken}}"}""");
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <meta name="htmx-config" content="{E(HtmxConfig)}">
            <title>{E(title)} · Prism console</title><style>{Style}</style><script src="/static/htmx.min.js" defer></script></head>
            <body hx-headers="{headers}"><nav>{nav}<span class="user" data-testid="user">{E(page.User)}</span>
            <form class="inline" method="post" action="/signout">{page.TokenField}<button type="submit">Sign out</button></form></nav>
            <main><h1>{E(title)}</h1>{body}</main></body></html>
            """;
    }

    /// <summary>A page without navigation, for people who are not signed in.</summary>
    public static string Bare(string title, string body) =>
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{E(title)} · Prism console</title><style>{Style}</style></head>
        <body><main><h1>{E(title)}</h1>{body}</main></body></html>
        """;

    /// <summary>A form that posts to <paramref name="action"/>, through htmx when available, replacing <paramref name="target"/> with the answer.</summary>
    public static string Form(PageContext page, string action, string target, string inner, string? confirm = null, string? cssClass = null) =>
        $"<form method=\"post\" action=\"{E(action)}\" hx-post=\"{E(action)}\" hx-target=\"{E(target)}\" hx-swap=\"outerHTML\""
        + (confirm is null ? "" : $" hx-confirm=\"{E(confirm)}\"")
        + (cssClass is null ? "" : $" class=\"{cssClass}\"")
        + $">{page.TokenField}{inner}</form>";

    /// <summary>The message of a failed admin call; names the missing permission on PERMISSION_DENIED.</summary>
    public static string Failure(AdminFailure? failure) => failure is null
        ? ""
        : $"<div class=\"error\" role=\"alert\" data-status=\"{failure.HttpStatus}\"><strong>{E(failure.Headline)}</strong><br><span class=\"mono\">{E(failure.Detail)}</span></div>";

    /// <summary>A confirmation of a change.</summary>
    public static string Notice(string? message) =>
        message is null ? "" : $"<div class=\"notice\" role=\"status\">{E(message)}</div>";

    /// <summary>A protobuf time as <c>yyyy-MM-dd HH:mm:ss</c> UTC, or empty.</summary>
    public static string Time(Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
