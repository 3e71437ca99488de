using System.Threading.RateLimiting;
using Prism.ControlStore;

namespace Prism.Proxy.Routing;

/// <summary>
/// The <c>max_requests_per_second</c> quota of each namespace: a token bucket per namespace, refilled
/// each second, in this proxy process. A quota change starts a new bucket at once.
/// </summary>
internal sealed class NamespaceRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<NamespaceRecord> _limiter = PartitionedRateLimiter.Create<NamespaceRecord, (string, int)>(record =>
    {
        var perSecond = record.Quotas.MaxRequestsPerSecond;
        return RateLimitPartition.GetTokenBucketLimiter((record.Name, perSecond), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    });

    /// <summary>Counts one call against the namespace's quota; a namespace without one is not limited.</summary>
    /// <exception cref="DataPlaneException">RESOURCE_EXHAUSTED: the namespace's requests for this second are spent.</exception>
    public void Acquire(NamespaceRecord @namespace)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        if (@namespace.Quotas.MaxRequestsPerSecond <= 0)
        {
            return;
        }

        using var lease = _limiter.AttemptAcquire(@namespace);
        if (!lease.IsAcquired)
        {
            throw new DataPlaneException(DataPlaneFailure.ResourceExhausted,
                $"namespace '{@namespace.Name}' allows {@namespace.Quotas.MaxRequestsPerSecond} requests per second (quota max_requests_per_second); retry later");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
