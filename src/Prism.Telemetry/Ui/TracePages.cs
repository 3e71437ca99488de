using System.Globalization;
using System.Text;
using Prism.Telemetry.Store;
using static Prism.Telemetry.Ui.Html;

namespace Prism.Telemetry.Ui;

/// <summary>The trace list (<c>/</c>) and one trace's waterfall (<c>/traces/{id}</c>).</summary>
internal static class TracePages
{
    public static string List(TelemetryStore store, string? service)
    {
        var html = new StringBuilder()
            .Append("<form method=\"get\" action=\"/\">").Append(ServiceSelect(store.Services(), service))
            .Append(" <button>Filter</button></form>")
            .Append("<table><tr><th>time (UTC)</th><th>root span</th><th>service</th><th>services</th><th>duration</th><th>spans</th></tr>");
        foreach (var trace in store.Traces(service))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"mono\">{Time(trace.StartUnixNano)}</td><td><a href=\"/traces/{U(trace.TraceId)}\">{E(trace.RootName)}</a></td>"
                + $"<td>{E(trace.RootService)}</td><td>{E(string.Join(", ", trace.Services))}</td><td>{Ms(trace.DurationMs)}</td><td>{trace.SpanCount}</td></tr>");
        }

        return Page("Traces", html.Append("</table>").ToString());
    }

    public static string? Waterfall(TelemetryStore store, string traceId)
    {
        if (store.Trace(traceId) is not { Count: > 0 } spans)
        {
            return null;
        }

        var start = spans.Min(s => s.StartUnixNano);
        var total = Math.Max(1, spans.Max(s => s.EndUnixNano) - start);
        var html = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<p class=\"mono\">trace {E(traceId)} · {spans.Count} spans · {Ms(total / 1e6)} · <a href=\"/logs?traceId={U(traceId)}\">logs</a></p>")
            .Append("<table><tr><th style=\"width:40%\">span</th><th>service</th><th>duration</th><th style=\"width:35%\">timeline</th></tr>");
        foreach (var (span, depth) in Ordered(spans))
        {
            var left = (span.StartUnixNano - start) * 100.0 / total;
            var width = Math.Max(0.2, (Math.Max(span.EndUnixNano, span.StartUnixNano) - span.StartUnixNano) * 100.0 / total);
            var error = span.Status == "Error" ? " class=\"err\"" : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr{error}><td style=\"padding-left:{8 + (depth * 16)}px\"><details><summary>{E(span.Name)}</summary>")
                .Append(CultureInfo.InvariantCulture, $"<p class=\"mono muted\">{E(span.Kind)} · span {E(span.SpanId)} · scope {E(span.Scope)} · status {E(span.Status)} {E(span.StatusMessage)}</p>")
                .Append(Attributes(span.Attributes))
                .Append(string.Concat(span.Events.Select(e => $"<p class=\"mono\">event {E(e.Name)} at {Time(e.TimeUnixNano)}</p>{Attributes(e.Attributes)}")))
                .Append(CultureInfo.InvariantCulture, $"</details></td><td>{E(span.Service)}</td><td>{Ms(span.DurationMs)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><div class=\"lane\"><div class=\"bar\" style=\"left:{left:0.##}%;width:{width:0.##}%\"></div></div></td></tr>");
        }

        return Page("Trace " + (spans.FirstOrDefault(s => s.ParentSpanId is null)?.Name ?? traceId), html.Append("</table>").ToString());
    }

    /// <summary>Spans depth-first from the roots (spans whose parent is absent), children by start time.</summary>
    internal static IEnumerable<(SpanRecord Span, int Depth)> Ordered(IReadOnlyList<SpanRecord> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        var roots = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartUnixNano);
        var stack = new Stack<(SpanRecord, int)>(roots.Reverse().Select(r => (r, 0)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (stack.TryPop(out var item))
        {
            if (!seen.Add(item.Item1.SpanId))
            {
                continue;
            }

            yield return item;
            foreach (var child in children[item.Item1.SpanId].OrderByDescending(c => c.StartUnixNano))
            {
                stack.Push((child, item.Item2 + 1));
            }
        }
    }
}
