using System.Diagnostics.Metrics;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Prism.Telemetry.Store;

namespace Prism.Telemetry.Otlp;

/// <summary>Transport-neutral OTLP intake shared by the gRPC and HTTP receivers: converts and stores.</summary>
public sealed class OtlpIngest(TelemetryStore store, OtlpConverter converter, IntakeLimits limits)
{
    /// <summary>What one export may bring.</summary>
    public IntakeLimits Limits { get; } = limits;

    /// <summary>Stores the spans of a trace export.</summary>
    public ExportTraceServiceResponse Accept(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spans = converter.Spans(request.ResourceSpans).ToList();
        store.AddSpans(spans);
        ViewerTelemetry.Received.Add(spans.Count, new KeyValuePair<string, object?>("signal", "traces"));
        return new ExportTraceServiceResponse();
    }

    /// <summary>Stores the points of a metrics export.</summary>
    public ExportMetricsServiceResponse Accept(ExportMetricsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var points = converter.Points(request.ResourceMetrics).ToList();
        store.AddMetricPoints(points);
        ViewerTelemetry.Received.Add(points.Count, new KeyValuePair<string, object?>("signal", "metrics"));
        return new ExportMetricsServiceResponse();
    }

    /// <summary>Stores the records of a logs export.</summary>
    public ExportLogsServiceResponse Accept(ExportLogsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var logs = converter.Logs(request.ResourceLogs).ToList();
        store.AddLogs(logs);
        ViewerTelemetry.Received.Add(logs.Count, new KeyValuePair<string, object?>("signal", "logs"));
        return new ExportLogsServiceResponse();
    }
}

/// <summary>The telemetry module's own Meter: how much it received.</summary>
public static class ViewerTelemetry
{
    /// <summary>Name of the module's ActivitySource and Meter.</summary>
    public const string Name = "Prism.Telemetry";

    private static readonly Meter Meter = new(Name);

    /// <summary>Spans, log records and metric points received, by <c>signal</c>.</summary>
    internal static readonly Counter<long> Received = Meter.CreateCounter<long>("prism.telemetry.received", "{item}", "Items received over OTLP.");
}
