using Prism.Hosting.Modules;

namespace Prism.Host.Dev;

/// <summary>Runs <see cref="HealthProbe"/>s from outside the service, as a developer's tools would.</summary>
public sealed class HealthChecker : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>True when the probe answers healthy.</summary>
    public async Task<bool> IsHealthyAsync(HealthProbe probe, CancellationToken cancellation)
    {
        try
        {
            return probe.Kind switch
            {
                HealthProbeKind.Http => (await _http.GetAsync(probe.Target, cancellation)).IsSuccessStatusCode,
                _ => throw new NotSupportedException($"Health probe kind {probe.Kind} is not supported by this build."),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Polls until healthy, the process dies, or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitHealthyAsync(HealthProbe probe, Func<bool> isAlive, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && isAlive())
        {
            if (await IsHealthyAsync(probe, cancellation))
            {
                return true;
            }

            await Task.Delay(50, cancellation);
        }

        return false;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
