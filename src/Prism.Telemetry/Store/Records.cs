namespace Prism.Telemetry.Store;

/// <summary>An attribute as the viewer shows it: its key and its value rendered as text.</summary>
public sealed record Attribute(string Key, string Value);

/// <summary>One received span. Times are Unix nanoseconds; ids are lowercase hex.</summary>
public sealed record SpanRecord(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Service,
    string Kind,
    ulong StartUnixNano,
    ulong EndUnixNano,
    string Status,
    string? StatusMessage,
    string Scope,
    IReadOnlyList<Attribute> Attributes,
    IReadOnlyList<SpanEventRecord> Events,
    int DroppedAttributes)
{
    /// <summary>Duration in milliseconds (0 when the end precedes the start).</summary>
    public double DurationMs => EndUnixNano > StartUnixNano ? (EndUnixNano - StartUnixNano) / 1e6 : 0;
}

/// <summary>An event inside a span (exceptions, annotations).</summary>
public sealed record SpanEventRecord(string Name, ulong TimeUnixNano, IReadOnlyList<Attribute> Attributes);

/// <summary>One received log record.</summary>
public sealed record LogEntry(
    ulong TimeUnixNano,
    string Service,
    string Severity,
    int SeverityNumber,
    string Body,
    string? TraceId,
    string? SpanId,
    string Scope,
    IReadOnlyList<Attribute> Attributes);

/// <summary>
/// One metric data point. <see cref="Value"/> is the number for gauges and sums, and the mean of
/// histograms and summaries (with <see cref="Count"/> observations).
/// </summary>
public sealed record MetricPoint(
    string Service,
    string Name,
    string Unit,
    string Kind,
    ulong TimeUnixNano,
    double Value,
    ulong Count,
    IReadOnlyList<Attribute> Attributes);

/// <summary>A trace as listed: its root span, services, duration and size.</summary>
public sealed record TraceSummary(
    string TraceId,
    string RootName,
    string RootService,
    IReadOnlyList<string> Services,
    ulong StartUnixNano,
    double DurationMs,
    int SpanCount);

/// <summary>A metric as listed: one per service and name.</summary>
public sealed record MetricSummary(string Service, string Name, string Unit, string Kind, int Points, double LastValue);

/// <summary>How many items the store holds and has evicted.</summary>
public sealed record StoreCounts(int Traces, int Spans, int Logs, int MetricPoints, long Evicted);
