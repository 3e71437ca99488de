using Prism.Hosting.Settings;

namespace Prism.Hosting.Telemetry;

/// <summary>Process-wide telemetry settings shared by every module (the OTLP export itself follows the standard <c>OTEL_*</c> variables).</summary>
public static class TelemetrySettings
{
    /// <summary>Port of the shared Prometheus listener of a <c>prism serve</c> process.</summary>
    public static readonly Setting MetricsPort = new(
        "PRISM_METRICS_PORT", "metrics:port", "9090",
        "Port of the process's Prometheus listener (GET /metrics) shared by all its modules, over TLS when PRISM_TLS_CERT_FILE is set; 0 disables it.");

    /// <summary>Every telemetry setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [MetricsPort];
}
