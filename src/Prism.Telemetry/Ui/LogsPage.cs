using System.Globalization;
using System.Text;
using Prism.Telemetry.Store;
using static Prism.Telemetry.Ui.Html;

namespace Prism.Telemetry.Ui;

/// <summary>Log search (<c>/logs</c>): text, service, minimum severity and trace id.</summary>
internal static class LogsPage
{
    private static readonly string[] Severities = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

    public static string Render(TelemetryStore store, string? q, string? service, string? severity, string? traceId)
    {
        var html = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<form method=\"get\" action=\"/logs\"><input name=\"q\" placeholder=\"text\" value=\"{E(q)}\"> ")
            .Append(ServiceSelect(store.Services(), service))
            .Append(" <select name=\"severity\"><option value=\"\">any severity</option>")
            .Append(string.Concat(Severities.Select(s => $"<option{(s == severity ? " selected" : "")}>{s}</option>")))
            .Append(CultureInfo.InvariantCulture, $"</select> <input name=\"traceId\" placeholder=\"trace id\" size=\"34\" value=\"{E(traceId)}\"> <button>Search</button></form>")
            .Append("<table><tr><th>time (UTC)</th><th>service</th><th>severity</th><th>message</th><th>trace</th></tr>");
        foreach (var log in store.Logs(q, service, severity, traceId))
        {
            var trace = log.TraceId is null ? "" : $"<a class=\"mono\" href=\"/traces/{U(log.TraceId)}\">{E(log.TraceId[..8])}…</a>";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"mono\">{Time(log.TimeUnixNano)}</td><td>{E(log.Service)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"sev-{E(log.Severity)}\">{E(log.Severity)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><details><summary>{E(log.Body)}</summary><p class=\"mono muted\">{E(log.Scope)}</p>{Attributes(log.Attributes)}</details></td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{trace}</td></tr>");
        }

        return Page("Logs", html.Append("</table>").ToString());
    }
}
