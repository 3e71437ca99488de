using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prism.Telemetry.Store;

namespace Prism.Telemetry.Ui;

/// <summary>The server-rendered pages: <c>/</c>, <c>/traces/{id}</c>, <c>/logs</c>, <c>/charts</c>.</summary>
public static class ViewerPages
{
    private const string HtmlType = "text/html; charset=utf-8";

    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapViewerPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", (TelemetryStore store, string? service) => Results.Content(TracePages.List(store, service), HtmlType));
        endpoints.MapGet("/traces/{traceId}", (TelemetryStore store, string traceId) =>
            TracePages.Waterfall(store, traceId) is { } page
                ? Results.Content(page, HtmlType)
                : Results.Content(Html.Page("Trace not found", $"<p>No trace {Html.E(traceId)} in the store (it may have been evicted).</p>"), HtmlType, statusCode: 404));
        endpoints.MapGet("/logs", (TelemetryStore store, string? q, string? service, string? severity, string? traceId) =>
            Results.Content(LogsPage.Render(store, q, service, severity, traceId), HtmlType));
        endpoints.MapGet("/charts", (TelemetryStore store, string? name, string? service) =>
            Results.Content(ChartsPage.Render(store, name, service), HtmlType));
        return endpoints;
    }
}
