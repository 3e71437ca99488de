namespace Prism.Telemetry.Store;

public sealed partial class TelemetryStore
{
    private static readonly Dictionary<string, int> SeverityFloors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TRACE"] = 1, ["DEBUG"] = 5, ["INFO"] = 9, ["WARN"] = 13, ["ERROR"] = 17, ["FATAL"] = 21,
    };

    /// <summary>The newest traces first, optionally only those with a span of <paramref name="service"/>.</summary>
    public IReadOnlyList<TraceSummary> Traces(string? service = null, int limit = 100)
    {
        lock (_gate)
        {
            return _traceOrder.Reverse()
                .Select(id => _traces[id])
                .Where(spans => string.IsNullOrEmpty(service) || spans.Any(s => s.Service == service))
                .Take(limit)
                .Select(Summarize)
                .ToList();
        }
    }

    /// <summary>The spans of one trace ordered by start, or null when the store does not hold it.</summary>
    public IReadOnlyList<SpanRecord>? Trace(string traceId)
    {
        lock (_gate)
        {
            return _traces.TryGetValue(traceId.ToLowerInvariant(), out var spans) ? spans.OrderBy(s => s.StartUnixNano).ToList() : null;
        }
    }

    /// <summary>
    /// The newest log records first, filtered by text (body or attribute values), service,
    /// minimum severity (TRACE, DEBUG, INFO, WARN, ERROR, FATAL) and trace id.
    /// </summary>
    public IReadOnlyList<LogEntry> Logs(string? text = null, string? service = null, string? severity = null, string? traceId = null, int limit = 200)
    {
        var floor = severity is { Length: > 0 } && SeverityFloors.TryGetValue(severity, out var f) ? f : 0;
        lock (_gate)
        {
            return _logs.Reverse()
                .Where(l => string.IsNullOrEmpty(service) || l.Service == service)
                .Where(l => l.SeverityNumber >= floor)
                .Where(l => string.IsNullOrEmpty(traceId) || string.Equals(l.TraceId, traceId, StringComparison.OrdinalIgnoreCase))
                .Where(l => string.IsNullOrEmpty(text)
                    || l.Body.Contains(text, StringComparison.OrdinalIgnoreCase)
                    || l.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase)))
                .Take(limit)
                .ToList();
        }
    }

    /// <summary>One entry per service and metric name, ordered by name.</summary>
    public IReadOnlyList<MetricSummary> Metrics(string? service = null)
    {
        lock (_gate)
        {
            return _points
                .Where(p => string.IsNullOrEmpty(service) || p.Service == service)
                .GroupBy(p => (p.Service, p.Name))
                .Select(g => new MetricSummary(g.Key.Service, g.Key.Name, g.Last().Unit, g.Last().Kind, g.Count(), g.Last().Value))
                .OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Service, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The points of one metric in time order.</summary>
    public IReadOnlyList<MetricPoint> MetricPoints(string name, string? service = null)
    {
        lock (_gate)
        {
            return _points
                .Where(p => p.Name == name && (string.IsNullOrEmpty(service) || p.Service == service))
                .OrderBy(p => p.TimeUnixNano)
                .ToList();
        }
    }

    /// <summary>Every service that sent anything, sorted.</summary>
    public IReadOnlyList<string> Services()
    {
        lock (_gate)
        {
            return _traces.Values.SelectMany(t => t.Select(s => s.Service))
                .Concat(_logs.Select(l => l.Service))
                .Concat(_points.Select(p => p.Service))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    private static TraceSummary Summarize(List<SpanRecord> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var root = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).MinBy(s => s.StartUnixNano) ?? spans[0];
        var start = spans.Min(s => s.StartUnixNano);
        var end = spans.Max(s => s.EndUnixNano);
        return new TraceSummary(root.TraceId, root.Name, root.Service,
            spans.Select(s => s.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            start, end > start ? (end - start) / 1e6 : 0, spans.Count);
    }
}
