using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Prism.Telemetry.Ui;

/// <summary>HTML building blocks of the viewer. Everything that comes from telemetry goes through <see cref="E"/>.</summary>
internal static class Html
{
    private const string Style = """
        body{font:14px system-ui,sans-serif;margin:0;color:#1d232b}
        nav{background:#1d3557;padding:8px 16px}nav a{color:#fff;margin-right:16px;text-decoration:none;font-weight:600}
        main{padding:16px}table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
        th{background:#f4f6f8}code,.mono{font-family:ui-monospace,monospace;font-size:12px}form{margin-bottom:12px}
        .bar{background:#457b9d;height:14px;position:relative;min-width:2px}.err .bar{background:#c1121f}
        .lane{background:#f4f6f8;position:relative;height:14px}details summary{cursor:pointer}
        .sev-WARN{color:#b86e00}.sev-ERROR,.sev-FATAL{color:#c1121f}.muted{color:#6c757d}
        """;

    /// <summary>HTML-encodes <paramref name="text"/> for element content and attribute values.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>URL-encodes a query value or path segment.</summary>
    public static string U(string? text) => UrlEncoder.Default.Encode(text ?? "");

    /// <summary>A whole page: navigation, title and <paramref name="body"/> (already HTML).</summary>
    public static string Page(string title, string body) =>
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{E(title)} · Prism telemetry</title><style>{Style}</style></head>
        <body><nav><a href="/">Traces</a><a href="/logs">Logs</a><a href="/charts">Metrics</a></nav>
        <main><h1>{E(title)}</h1>{body}</main></body></html>
        """;

    /// <summary>A <c>select</c> of services with an "all" option, <paramref name="selected"/> preselected.</summary>
    public static string ServiceSelect(IEnumerable<string> services, string? selected)
    {
        var html = new StringBuilder("<select name=\"service\"><option value=\"\">all services</option>");
        foreach (var service in services)
        {
            html.Append(CultureInfo.InvariantCulture, $"<option{(service == selected ? " selected" : "")}>{E(service)}</option>");
        }

        return html.Append("</select>").ToString();
    }

    /// <summary>A Unix-nanosecond time as <c>yyyy-MM-dd HH:mm:ss.fff</c> UTC.</summary>
    public static string Time(ulong unixNano) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(unixNano / 1_000_000)).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>A duration in milliseconds, three significant decimals at most.</summary>
    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Attributes as a two-column table.</summary>
    public static string Attributes(IEnumerable<Store.Attribute> attributes) =>
        "<table>" + string.Concat(attributes.Select(a => $"<tr><td class=\"mono\">{E(a.Key)}</td><td class=\"mono\">{E(a.Value)}</td></tr>")) + "</table>";
}
