using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Prism.Hosting.Modules;
using Prism.Hosting.Tls;

namespace Prism.Host.Dev;

/// <summary>Runs <see cref="HealthProbe"/>s from outside the service, as a developer's tools would.</summary>
public sealed class HealthChecker(OutboundTls tls) : IDisposable
{
    private readonly HttpClient _http = new(tls.CreateHandler()) { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>A checker trusting only the system's roots.</summary>
    public HealthChecker()
        : this(OutboundTls.SystemDefault)
    {
    }

    /// <summary>True when the probe answers healthy.</summary>
    public async Task<bool> IsHealthyAsync(HealthProbe probe, CancellationToken cancellation)
    {
        try
        {
            return probe.Kind switch
            {
                HealthProbeKind.Http => (await _http.GetAsync(probe.Target, cancellation)).IsSuccessStatusCode,
                HealthProbeKind.Grpc => await IsServingAsync(probe.Target, cancellation),
                _ => false,
            };
        }
        catch (Exception e) when (e is HttpRequestException or RpcException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> IsServingAsync(Uri target, CancellationToken cancellation)
    {
        using var channel = GrpcChannel.ForAddress(target, new GrpcChannelOptions { HttpClient = _http });
        var reply = await new Health.HealthClient(channel).CheckAsync(
            new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellation);
        return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
    }

    /// <summary>Polls until healthy, the process dies, or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitHealthyAsync(DevService service, Func<bool> isAlive, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && isAlive())
        {
            if (await service.IsHealthyAsync(this, cancellation))
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
