using Microsoft.Extensions.Hosting;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Sessions;

/// <summary>Flushes sessions every <see cref="ProxyOptions.SessionFlushInterval"/> and closes them all on shutdown.</summary>
internal sealed class SessionFlusher(SessionRegistry sessions, ProxyOptions options, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await sessions.CloseAllAsync(new DataPlaneException(DataPlaneFailure.Unavailable, "the proxy is shutting down"), timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Out of time: the sessions stay Active in the store until another flush or an operator ends them.
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SessionFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await sessions.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
