using System.Globalization;
using Google.Protobuf;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Prism.Telemetry.Store;
using Attribute = Prism.Telemetry.Store.Attribute;
using ProtoResource = OpenTelemetry.Proto.Resource.V1.Resource;

namespace Prism.Telemetry.Otlp;

/// <summary>Turns OTLP messages into the store's records, applying the attribute limits.</summary>
public sealed class OtlpConverter(AttributeLimiter limiter)
{
    /// <summary>Service name of data whose resource has no <c>service.name</c>.</summary>
    public const string UnknownService = "unknown_service";

    /// <summary>The spans of <paramref name="resourceSpans"/>.</summary>
    public IEnumerable<SpanRecord> Spans(IEnumerable<ResourceSpans> resourceSpans) =>
        from rs in resourceSpans
        let service = ServiceOf(rs.Resource)
        from ss in rs.ScopeSpans
        from span in ss.Spans
        select ToSpan(span, service, ss.Scope?.Name ?? "");

    /// <summary>The log records of <paramref name="resourceLogs"/>.</summary>
    public IEnumerable<LogEntry> Logs(IEnumerable<ResourceLogs> resourceLogs) =>
        from rl in resourceLogs
        let service = ServiceOf(rl.Resource)
        from sl in rl.ScopeLogs
        from log in sl.LogRecords
        select new LogEntry(
            log.TimeUnixNano != 0 ? log.TimeUnixNano : log.ObservedTimeUnixNano,
            service,
            log.SeverityText is { Length: > 0 } text ? text : SeverityName(log.SeverityNumber),
            (int)log.SeverityNumber,
            limiter.Truncate(log.Body is null ? "" : Render(log.Body)),
            Hex(log.TraceId),
            Hex(log.SpanId),
            sl.Scope?.Name ?? "",
            limiter.Limit(AttributesOf(log.Attributes), out _));

    /// <summary>The data points of <paramref name="resourceMetrics"/>, one per point of every metric.</summary>
    public IEnumerable<MetricPoint> Points(IEnumerable<ResourceMetrics> resourceMetrics) =>
        from rm in resourceMetrics
        let service = ServiceOf(rm.Resource)
        from sm in rm.ScopeMetrics
        from metric in sm.Metrics
        from point in PointsOf(metric, service)
        select point;

    private SpanRecord ToSpan(Span span, string service, string scope)
    {
        var attributes = limiter.Limit(AttributesOf(span.Attributes), out var dropped);
        var events = span.Events
            .Select(e => new SpanEventRecord(limiter.Truncate(e.Name), e.TimeUnixNano, limiter.Limit(AttributesOf(e.Attributes), out _)))
            .ToList();
        return new SpanRecord(
            Hex(span.TraceId) ?? "", Hex(span.SpanId) ?? "", Hex(span.ParentSpanId), limiter.Truncate(span.Name), service,
            span.Kind.ToString().Replace("SpanKind", "", StringComparison.Ordinal),
            span.StartTimeUnixNano, span.EndTimeUnixNano,
            (span.Status?.Code ?? Status.Types.StatusCode.Unset).ToString(),
            span.Status?.Message is { Length: > 0 } message ? limiter.Truncate(message) : null,
            scope, attributes, events, dropped + (int)span.DroppedAttributesCount);
    }

    private IEnumerable<MetricPoint> PointsOf(Metric metric, string service)
    {
        MetricPoint Point(string kind, ulong time, double value, ulong count, IEnumerable<KeyValue> attributes) =>
            new(service, metric.Name, metric.Unit, kind, time, value, count, limiter.Limit(AttributesOf(attributes), out _));

        static double Mean(double sum, ulong count) => count == 0 ? 0 : sum / count;

        return metric.DataCase switch
        {
            Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(p => Point("gauge", p.TimeUnixNano, NumberOf(p), 1, p.Attributes)),
            Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(p => Point("sum", p.TimeUnixNano, NumberOf(p), 1, p.Attributes)),
            Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p =>
                Point("histogram", p.TimeUnixNano, Mean(p.Sum, p.Count), p.Count, p.Attributes)),
            Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Select(p =>
                Point("exponential_histogram", p.TimeUnixNano, Mean(p.Sum, p.Count), p.Count, p.Attributes)),
            Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Select(p =>
                Point("summary", p.TimeUnixNano, Mean(p.Sum, p.Count), p.Count, p.Attributes)),
            _ => [],
        };
    }

    private static double NumberOf(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    private static string ServiceOf(ProtoResource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value is { } value ? Render(value) : UnknownService;

    private static IEnumerable<Attribute> AttributesOf(IEnumerable<KeyValue> attributes) =>
        attributes.Select(a => new Attribute(a.Key, a.Value is null ? "" : Render(a.Value)));

    /// <summary>An attribute value as text: arrays as <c>[a, b]</c>, maps as <c>{k: v}</c>, bytes in base64.</summary>
    public static string Render(AnyValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Render)) + "]",
            AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => kv.Key + ": " + (kv.Value is null ? "" : Render(kv.Value)))) + "}",
            AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToBase64(),
            _ => "",
        };
    }

    private static string? Hex(ByteString id) =>
        id.IsEmpty || id.Span.IndexOfAnyExcept((byte)0) < 0 ? null : Convert.ToHexStringLower(id.Span);

    private static string SeverityName(SeverityNumber number) => (int)number switch
    {
        >= 21 => "FATAL",
        >= 17 => "ERROR",
        >= 13 => "WARN",
        >= 9 => "INFO",
        >= 5 => "DEBUG",
        >= 1 => "TRACE",
        _ => "",
    };
}
