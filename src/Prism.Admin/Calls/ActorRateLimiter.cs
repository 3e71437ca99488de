using System.Threading.RateLimiting;

namespace Prism.Admin.Calls;

/// <summary>Per-actor request budget (token bucket refilled each minute); RESOURCE_EXHAUSTED past it.</summary>
internal sealed class ActorRateLimiter(int requestsPerMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(actor =>
        RateLimitPartition.GetTokenBucketLimiter(actor, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = requestsPerMinute,
            TokensPerPeriod = requestsPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Requests each actor may make per minute.</summary>
    public int RequestsPerMinute => requestsPerMinute;

    /// <summary>Takes one request from <paramref name="actor"/>'s budget; false when it is spent.</summary>
    public bool TryAcquire(string actor)
    {
        using var lease = _limiter.AttemptAcquire(actor);
        return lease.IsAcquired;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
