using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prism.Telemetry.Store;

namespace Prism.Telemetry.Api;

/// <summary>
/// The JSON API behind the pages: <c>/api/traces</c>, <c>/api/traces/{id}</c>, <c>/api/logs</c>,
/// <c>/api/metrics</c>, <c>/api/metrics/{name}</c>, <c>/api/services</c>, <c>/api/stats</c>.
/// </summary>
public static class ViewerApi
{
    private const int MaxLimit = 1000;

    /// <summary>Maps the API endpoints.</summary>
    public static IEndpointRouteBuilder MapViewerApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api");
        api.MapGet("/traces", (TelemetryStore store, string? service, int? limit) =>
            Results.Json(store.Traces(service, Limit(limit, 100))));
        api.MapGet("/traces/{traceId}", (TelemetryStore store, string traceId) =>
            store.Trace(traceId) is { } spans ? Results.Json(new { traceId = traceId.ToLowerInvariant(), spans }) : Results.NotFound());
        api.MapGet("/logs", (TelemetryStore store, string? q, string? service, string? severity, string? traceId, int? limit) =>
            Results.Json(store.Logs(q, service, severity, traceId, Limit(limit, 200))));
        api.MapGet("/metrics", (TelemetryStore store, string? service) => Results.Json(store.Metrics(service)));
        api.MapGet("/metrics/{name}", (TelemetryStore store, string name, string? service) =>
            Results.Json(store.MetricPoints(name, service)));
        api.MapGet("/services", (TelemetryStore store) => Results.Json(store.Services()));
        api.MapGet("/stats", (TelemetryStore store) => Results.Json(store.Counts()));
        return endpoints;
    }

    private static int Limit(int? requested, int fallback) => Math.Clamp(requested ?? fallback, 1, MaxLimit);
}
