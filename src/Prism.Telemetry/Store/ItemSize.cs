namespace Prism.Telemetry.Store;

/// <summary>
/// Estimated managed memory of stored items: UTF-16 text plus a fixed cost per object. Close enough to
/// bound the store by memory; attribute values are already cut to <see cref="StoreLimits.MaxAttributeLength"/>.
/// </summary>
internal static class ItemSize
{
    private const long ObjectOverhead = 32;

    public static long Of(SpanRecord span) =>
        (8 * ObjectOverhead) + Text(span.TraceId) + Text(span.SpanId) + Text(span.ParentSpanId) + Text(span.Name)
        + Text(span.Service) + Text(span.Kind) + Text(span.Status) + Text(span.StatusMessage) + Text(span.Scope)
        + Of(span.Attributes) + span.Events.Sum(e => ObjectOverhead + Text(e.Name) + Of(e.Attributes));

    public static long Of(LogEntry log) =>
        (4 * ObjectOverhead) + Text(log.Service) + Text(log.Severity) + Text(log.Body) + Text(log.TraceId)
        + Text(log.SpanId) + Text(log.Scope) + Of(log.Attributes);

    public static long Of(MetricPoint point) =>
        (4 * ObjectOverhead) + Text(point.Service) + Text(point.Name) + Text(point.Unit) + Text(point.Kind) + Of(point.Attributes);

    private static long Of(IReadOnlyList<Attribute> attributes) =>
        ObjectOverhead + attributes.Sum(a => ObjectOverhead + Text(a.Key) + Text(a.Value));

    private static long Text(string? text) => text is null ? 0 : 22 + (2L * text.Length);
}
