using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace PrismService.Health;

/// <summary>
/// Kubernetes probes as Prism's modules serve them: <c>/healthz</c> (liveness: the process answers) and
/// <c>/readyz</c> (readiness: every check tagged <see cref="ReadyTag"/> passes). Both are anonymous.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
    }
}
