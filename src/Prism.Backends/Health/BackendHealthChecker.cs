using System.Diagnostics;
using Prism.Backends.Instances;

namespace Prism.Backends.Health;

/// <summary>Health of one backend instance.</summary>
public enum BackendHealth
{
    /// <summary>Answered in under 100 ms.</summary>
    Healthy = 1,

    /// <summary>Answered in 100 ms or more.</summary>
    Degraded = 2,

    /// <summary>Error or no answer within the timeout.</summary>
    Unhealthy = 3,
}

/// <summary>Result of checking one instance.</summary>
public sealed record BackendCheck(BackendInstance Backend, BackendHealth Health, TimeSpan Latency, string? Error, DateTimeOffset CheckedAt);

/// <summary>Checks instances in parallel with a trivial round trip each (PING, SELECT 1) on their own connections.</summary>
public sealed class BackendHealthChecker(BackendDrivers drivers, TimeProvider time)
{
    /// <summary>Latency below which a backend is healthy.</summary>
    public static readonly TimeSpan HealthyBelow = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks every named instance at once (all when <paramref name="names"/> is empty).</summary>
    /// <exception cref="ArgumentException">A name no instance has.</exception>
    public async Task<IReadOnlyList<BackendCheck>> CheckAsync(IReadOnlyCollection<string> names, CancellationToken cancellation)
    {
        var backends = names.Count == 0
            ? drivers.All
            : names.Select(n => drivers.Find(n) ?? throw new ArgumentException($"unknown backend '{n}'", nameof(names))).ToList();
        return await Task.WhenAll(backends.Select(b => CheckAsync(b, cancellation)));
    }

    /// <summary>Checks one instance.</summary>
    public async Task<BackendCheck> CheckAsync(BackendInstance backend, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var error = await TryConnectAsync(backend.PingAsync, cancellation);
        var latency = error.Elapsed;
        var health = error.Message is not null ? BackendHealth.Unhealthy : latency < HealthyBelow ? BackendHealth.Healthy : BackendHealth.Degraded;
        return new BackendCheck(backend, health, latency, error.Message, time.GetUtcNow());
    }

    /// <summary>
    /// Runs <paramref name="roundTrip"/> within the health timeout; returns how long it took and why it
    /// failed (null when it answered). The reason never holds a credential: drivers' messages name hosts only.
    /// </summary>
    public async Task<(TimeSpan Elapsed, string? Message)> TryConnectAsync(Func<CancellationToken, Task> roundTrip, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(roundTrip);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(drivers.Catalog.HealthTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await roundTrip(timeout.Token).WaitAsync(timeout.Token);
            return (clock.Elapsed, null);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            return (clock.Elapsed, e is OperationCanceledException or TimeoutException
                ? $"no answer within {drivers.Catalog.HealthTimeout.TotalMilliseconds:0} ms"
                : e.Message);
        }
    }
}
