using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prism.Backends;

namespace Prism.Proxy.Routing;

/// <summary>
/// Reads the stored backend instances every <see cref="ProxyOptions.NamespaceRefreshInterval"/>, so every
/// proxy sharing the store picks up a new, changed or deleted instance without a restart.
/// </summary>
internal sealed partial class BackendRefresher(BackendDrivers backends, ProxyOptions options, TimeProvider time, ILogger<BackendRefresher> logger) : BackgroundService
{
    private bool _storeDown;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.NamespaceRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellation)
    {
        try
        {
            await backends.RefreshAsync(cancellation);
            _storeDown = false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            // Keep the instances known so far while the store is away.
            if (!_storeDown)
            {
                LogStoreUnavailable(logger, e);
                _storeDown = true;
            }
        }
    }

    [LoggerMessage(EventId = 8020, EventName = "BackendStoreUnavailable", Level = LogLevel.Warning,
        Message = "Reading backend instances from the control store failed; the instances known so far stay in use")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);
}
