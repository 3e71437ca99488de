using Prism.Hosting.Settings;

namespace Prism.Telemetry;

/// <summary>Settings of the telemetry module: its three ports and the limits of its in-memory store.</summary>
public static class ViewerSettings
{
    /// <summary>Port of the viewer UI and its JSON API.</summary>
    public static readonly Setting UiPort = new("PRISM_TELEMETRY_UI_PORT", "telemetry:ui_port", "3301",
        "Port of the telemetry viewer (UI, JSON API under /api, /healthz).");

    /// <summary>Port of the OTLP/gRPC receiver.</summary>
    public static readonly Setting OtlpGrpcPort = new("PRISM_TELEMETRY_OTLP_GRPC_PORT", "telemetry:otlp_grpc_port", "4317",
        "Port of the OTLP/gRPC receiver (trace, metrics and logs Export services).");

    /// <summary>Port of the OTLP/HTTP receiver.</summary>
    public static readonly Setting OtlpHttpPort = new("PRISM_TELEMETRY_OTLP_HTTP_PORT", "telemetry:otlp_http_port", "4318",
        "Port of the OTLP/HTTP receiver (POST /v1/traces, /v1/metrics, /v1/logs; protobuf or JSON).");

    /// <summary>Most spans kept.</summary>
    public static readonly Setting MaxSpans = new("PRISM_TELEMETRY_MAX_SPANS", "telemetry:max_spans", "20000",
        "Most spans kept in memory; past it the oldest traces are evicted whole.");

    /// <summary>Most traces kept.</summary>
    public static readonly Setting MaxTraces = new("PRISM_TELEMETRY_MAX_TRACES", "telemetry:max_traces", "2000",
        "Most traces kept in memory; past it the oldest trace is evicted.");

    /// <summary>Most log records kept.</summary>
    public static readonly Setting MaxLogs = new("PRISM_TELEMETRY_MAX_LOGS", "telemetry:max_logs", "20000",
        "Most log records kept in memory; past it the oldest are evicted.");

    /// <summary>Most metric points kept.</summary>
    public static readonly Setting MaxMetricPoints = new("PRISM_TELEMETRY_MAX_METRIC_POINTS", "telemetry:max_metric_points", "50000",
        "Most metric data points kept in memory; past it the oldest are evicted.");

    /// <summary>Most attributes kept per span, event, log record or point.</summary>
    public static readonly Setting MaxAttributes = new("PRISM_TELEMETRY_MAX_ATTRIBUTES", "telemetry:max_attributes", "64",
        "Most attributes kept per span, span event, log record or metric point (resource attributes included); the rest are counted as dropped.");

    /// <summary>Longest attribute value kept.</summary>
    public static readonly Setting MaxAttributeLength = new("PRISM_TELEMETRY_MAX_ATTRIBUTE_LENGTH", "telemetry:max_attribute_length", "1024",
        "Longest attribute value or log body kept, in characters; longer ones are truncated and end with '…'.");

    /// <summary>Most memory the stored items take, estimated.</summary>
    public static readonly Setting MaxStoreMegabytes = new("PRISM_TELEMETRY_MAX_STORE_MB", "telemetry:max_store_mb", "128",
        "Most memory the stored spans, log records and metric points take, in MiB (estimated from their text); past it the oldest items of the largest kind are evicted.");

    /// <summary>Most exports processed at once.</summary>
    public static readonly Setting MaxConcurrentExports = new("PRISM_TELEMETRY_MAX_CONCURRENT_EXPORTS", "telemetry:max_concurrent_exports", "2",
        "Most OTLP exports (gRPC and HTTP together) decoded and stored at once; others wait up to 10 s, then get HTTP 503 / gRPC UNAVAILABLE with a retry hint.");

    /// <summary>Largest export body accepted.</summary>
    public static readonly Setting MaxBodyMegabytes = new("PRISM_TELEMETRY_MAX_BODY_MB", "telemetry:max_body_mb", "16",
        "Largest OTLP export accepted, in MiB, after decompression (HTTP bodies and gRPC messages); larger ones get HTTP 413 / gRPC RESOURCE_EXHAUSTED.");

    /// <summary>The store limits.</summary>
    public static IReadOnlyList<Setting> Limits { get; } =
        [MaxSpans, MaxTraces, MaxLogs, MaxMetricPoints, MaxAttributes, MaxAttributeLength, MaxStoreMegabytes];

    /// <summary>The limits on what is received at once.</summary>
    public static IReadOnlyList<Setting> IntakeLimits { get; } = [MaxConcurrentExports, MaxBodyMegabytes];

    /// <summary>Every telemetry module setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [UiPort, OtlpGrpcPort, OtlpHttpPort, .. Limits, .. IntakeLimits];
}
