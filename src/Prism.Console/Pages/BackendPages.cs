using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prism.Admin.V1;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>
/// Backend health. The page itself answers at once; the health table (a round trip to every backend,
/// up to the admin's health timeout) is fetched by htmx when the page has loaded, and again on demand.
/// </summary>
internal static class BackendPages
{
    private const string Title = "Backends";
    private const string Section = "/backends";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/backends", (HttpContext http) =>
        {
            var page = PageContext.For(http);
            const string Pending = "<section id=\"backend-status\" hx-get=\"/backends/status\" hx-trigger=\"load\" hx-swap=\"outerHTML\">"
                + "<p class=\"muted\">Checking every backend… <noscript><a href=\"/backends/status\">show the health table</a></noscript></p></section>";
            return PageResponse.Panel(page, Title, Section, Pending);
        });
        pages.MapGet("/backends/status", async (HttpContext http, AdminChannel admin) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.GetBackendStatusAsync(new GetBackendStatusRequest(), o));
            return PageResponse.Panel(page, Title, Section, Status(result), result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
    }

    private static string Status(AdminResult<GetBackendStatusResponse> result)
    {
        var html = new StringBuilder("<section id=\"backend-status\">")
            .Append("<p><button type=\"button\" hx-get=\"/backends/status\" hx-target=\"#backend-status\" hx-swap=\"outerHTML\">Check again</button> ")
            .Append("<span class=\"htmx-indicator muted\">checking…</span></p>");
        if (result.Value is not { } response)
        {
            return html.Append(Failure(result.Failure)).Append("</section>").ToString();
        }

        html.Append("<table><thead><tr><th>backend</th><th>type</th><th>source</th><th>endpoint</th><th>capabilities</th><th>health</th><th>latency</th><th>error</th><th>checked (UTC)</th></tr></thead><tbody>");
        foreach (var s in response.Statuses)
        {
            var health = s.Health.ToString().ToUpperInvariant();
            html.Append(CultureInfo.InvariantCulture, $"<tr data-backend=\"{E(s.Backend?.Name)}\"><td><strong>{E(s.Backend?.Name)}</strong></td><td>{E(s.Backend?.Type)}</td><td>{E(s.Backend?.Source)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"mono\">{E(s.Backend?.Endpoint)}</td><td>{E(string.Join(", ", s.Backend?.Capabilities ?? []))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"{health}\" data-health=\"{health}\">{health}</td><td>{s.LatencyMicros / 1000.0:0.##} ms</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(s.Error)}</td><td class=\"mono\">{Time(s.CheckedAt)}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }
}
