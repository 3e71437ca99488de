using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Prism.Admin.Store;

/// <summary>gRPC/ASP.NET health of a process that depends on the admin store (admin and proxy).</summary>
public sealed class AdminStoreHealthCheck(IAdminStore store) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.PingAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("admin store does not answer");
}
