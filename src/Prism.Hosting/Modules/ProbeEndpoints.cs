using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Prism.Hosting.Modules;

/// <summary>
/// Kubernetes probes over plain HTTP(S) on a module's own listener: <c>/healthz</c> (liveness: the process
/// answers) and <c>/readyz</c> (readiness: every registered health check, such as the control store, answers).
/// </summary>
public static class ProbeEndpoints
{
    /// <summary>Liveness path.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>Readiness path.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>Maps both probes; they need no credentials and answer only <c>ok</c> or <c>unavailable</c>.</summary>
    public static IEndpointRouteBuilder MapProbeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions { ResponseWriter = WriteAsync });
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(report.Status == HealthStatus.Healthy ? "ok\n" : "unavailable\n");
    }
}
