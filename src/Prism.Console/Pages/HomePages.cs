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
/// The home page: the health of admin, of the identity provider (its discovery document, asked by the console),
/// of the proxies admin knows of (through their sessions) and of every backend, with admin's key metrics. The overview refreshes itself every 5 seconds through htmx.
/// </summary>
internal static class HomePages
{
    private const string Title = "Overview";
    private const string Section = "/";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/", (HttpContext http) =>
        {
            var page = PageContext.For(http);
            const string Pending = "<section id=\"overview\" hx-get=\"/overview\" hx-trigger=\"load\" hx-swap=\"outerHTML\">"
                + "<p class=\"muted\">Asking admin… <noscript><a href=\"/overview\">show the overview</a></noscript></p></section>";
            return PageResponse.Panel(page, Title, Section, Pending);
        });
        pages.MapGet("/overview", async (HttpContext http, AdminChannel admin, IdentityProbe identity) =>
        {
            var page = PageContext.For(http);
            var metrics = admin.CallAsync(http, (c, o) => c.GetMetricsAsync(new GetMetricsRequest(), o));
            var backends = admin.CallAsync(http, (c, o) => c.GetBackendStatusAsync(new GetBackendStatusRequest(), o));
            var issuer = identity.CheckAsync(http.RequestAborted);
            var status = (await metrics).Failure?.HttpStatus ?? StatusCodes.Status200OK;
            return PageResponse.Panel(page, Title, Section, Overview(admin, await metrics, await backends, identity.Issuer, await issuer), status);
        });
    }

    private static string Overview(AdminChannel admin, AdminResult<GetMetricsResponse> metrics, AdminResult<GetBackendStatusResponse> backends,
        Uri issuer, IdentityHealth identity)
    {
        // outerHTML swap: the answer carries the polling trigger on to the next round.
        var html = new StringBuilder("<section id=\"overview\" hx-get=\"/overview\" hx-trigger=\"every 5s\" hx-swap=\"outerHTML\">");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Refreshes every 5 seconds. Last update {Time(metrics.Value?.CollectedAt)} UTC.</p>");
        html.Append("<h2>Modules</h2><table><thead><tr><th>module</th><th>health</th><th>detail</th></tr></thead><tbody>");
        if (metrics.Value is { } m)
        {
            var values = m.Metrics.Where(x => x.Labels.Count == 0).GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.First().Value);
            var uptime = TimeSpan.FromSeconds(values.GetValueOrDefault("prism_admin_uptime_seconds"));
            html.Append(CultureInfo.InvariantCulture, $"<tr data-module=\"admin\"><td><strong>admin</strong></td><td class=\"HEALTHY\" data-health=\"HEALTHY\">HEALTHY</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"mono\">{E(admin.Address.ToString())} · up {(int)uptime.TotalHours}h {uptime.Minutes}m</td></tr>");
            foreach (var proxy in m.Metrics.Where(x => x.Name == "prism_sessions_active_by_proxy"))
            {
                var id = proxy.Labels.GetValueOrDefault("proxy") ?? "";
                html.Append(CultureInfo.InvariantCulture, $"<tr data-module=\"proxy\" data-proxy=\"{E(id)}\"><td><strong>proxy</strong> <span class=\"mono\">{E(id)}</span></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>serving</td><td>{proxy.Value:0} active sessions</td></tr>");
            }
        }
        else
        {
            var failure = metrics.Failure!;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-module=\"admin\"><td><strong>admin</strong></td><td class=\"UNHEALTHY\" data-health=\"UNHEALTHY\">UNHEALTHY</td><td>{E(failure.Headline)}</td></tr>");
        }

        var identityHealth = identity.Healthy ? "HEALTHY" : "UNHEALTHY";
        html.Append(CultureInfo.InvariantCulture, $"<tr data-module=\"identity\"><td><strong>identity</strong></td><td class=\"{identityHealth}\" data-health=\"{identityHealth}\">{identityHealth}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"mono\">{E(issuer.ToString())} · {E(identity.Detail)}</td></tr>");
        html.Append("</tbody></table>").Append(Failure(metrics.Failure));
        if (metrics.Value is { } metricValues)
        {
            html.Append("<h2>Key metrics</h2><table><thead><tr><th>metric</th><th>value</th></tr></thead><tbody>");
            foreach (var metric in metricValues.Metrics.Where(x => x.Labels.Count == 0))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr data-metric=\"{E(metric.Name)}\"><td class=\"mono\">{E(metric.Name)}</td><td>{metric.Value:0.##}</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<h2>Backends</h2>");
        if (backends.Value is { } response)
        {
            html.Append("<table><thead><tr><th>backend</th><th>type</th><th>health</th><th>latency</th><th>error</th></tr></thead><tbody>");
            foreach (var s in response.Statuses)
            {
                var health = s.Health.ToString().ToUpperInvariant();
                html.Append(CultureInfo.InvariantCulture, $"<tr data-backend=\"{E(s.Backend?.Name)}\"><td><strong>{E(s.Backend?.Name)}</strong></td><td>{E(s.Backend?.Type)}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"{health}\" data-health=\"{health}\">{health}</td><td>{s.LatencyMicros / 1000.0:0.##} ms</td><td>{E(s.Error)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }
        else
        {
            html.Append(Failure(backends.Failure));
        }

        return html.Append("</section>").ToString();
    }
}
