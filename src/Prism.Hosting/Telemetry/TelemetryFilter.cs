using Microsoft.AspNetCore.Http;

namespace Prism.Hosting.Telemetry;

/// <summary>
/// Requests that produce no server span: health checks and scrapes (polled every few seconds) and
/// OTLP exports (a receiver tracing its own intake would feed itself forever).
/// </summary>
public static class TelemetryFilter
{
    private static readonly string[] UntracedPrefixes =
    [
        "/healthz", "/metrics", "/grpc.health.v1.Health/", "/opentelemetry.proto.collector.",
        "/v1/traces", "/v1/metrics", "/v1/logs",
    ];

    /// <summary>True when a request to <paramref name="path"/> should be traced.</summary>
    public static bool ShouldTrace(PathString path) =>
        !UntracedPrefixes.Any(prefix => path.StartsWithSegments(prefix.TrimEnd('/'), StringComparison.Ordinal)
            || (path.Value ?? "").StartsWith(prefix, StringComparison.Ordinal));
}
