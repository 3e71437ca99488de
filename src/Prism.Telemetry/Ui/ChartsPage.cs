using System.Globalization;
using System.Text;
using Prism.Telemetry.Store;
using static Prism.Telemetry.Ui.Html;

namespace Prism.Telemetry.Ui;

/// <summary>Metrics (<c>/charts</c>): every metric, and an inline SVG chart of one metric's points over time.</summary>
internal static class ChartsPage
{
    private const int Width = 800;
    private const int Height = 220;

    public static string Render(TelemetryStore store, string? name, string? service)
    {
        var html = new StringBuilder();
        if (!string.IsNullOrEmpty(name))
        {
            var points = store.MetricPoints(name, service);
            html.Append(CultureInfo.InvariantCulture, $"<h2>{E(name)} <span class=\"muted\">{E(service)}</span></h2>")
                .Append(Chart(points))
                .Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{points.Count} points; histograms and summaries show the mean per point.</p>");
        }

        html.Append("<form method=\"get\" action=\"/charts\">").Append(ServiceSelect(store.Services(), service)).Append(" <button>Filter</button></form>")
            .Append("<table><tr><th>metric</th><th>service</th><th>kind</th><th>unit</th><th>points</th><th>last value</th></tr>");
        foreach (var metric in store.Metrics(service))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td><a href=\"/charts?name={U(metric.Name)}&service={U(metric.Service)}\">{E(metric.Name)}</a></td><td>{E(metric.Service)}</td>"
                + $"<td>{E(metric.Kind)}</td><td>{E(metric.Unit)}</td><td>{metric.Points}</td><td>{metric.LastValue:G6}</td></tr>");
        }

        return Page("Metrics", html.Append("</table>").ToString());
    }

    /// <summary>A line of the points' values over time (all attribute sets together), with min/max labels.</summary>
    internal static string Chart(IReadOnlyList<MetricPoint> points)
    {
        if (points.Count == 0)
        {
            return "<p class=\"muted\">no points</p>";
        }

        var t0 = points[0].TimeUnixNano;
        var span = Math.Max(1.0, points[^1].TimeUnixNano - t0);
        var min = points.Min(p => p.Value);
        var max = points.Max(p => p.Value);
        var range = max > min ? max - min : 1;
        var coordinates = points.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{(p.TimeUnixNano - t0) / span * (Width - 60) + 50:0.#},{Height - 20 - ((p.Value - min) / range * (Height - 40)):0.#}"));
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" role="img" aria-label="metric chart">
            <rect x="50" y="10" width="{Width - 60}" height="{Height - 30}" fill="#f4f6f8"/>
            <polyline fill="none" stroke="#457b9d" stroke-width="2" points="{string.Join(' ', coordinates)}"/>
            <text x="4" y="20" font-size="11">{max:G4}</text><text x="4" y="{Height - 20}" font-size="11">{min:G4}</text>
            <text x="50" y="{Height - 4}" font-size="11">{Time(t0)}</text><text x="{Width - 150}" y="{Height - 4}" font-size="11">{Time(points[^1].TimeUnixNano)}</text>
            </svg>
            """);
    }
}
