using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Prism.ControlStore;

/// <summary>gRPC/ASP.NET health of a process that depends on the control store (admin and proxy).</summary>
public sealed class ControlStoreHealthCheck(IStoreSchema store) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.PingAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("control store does not answer");
}
