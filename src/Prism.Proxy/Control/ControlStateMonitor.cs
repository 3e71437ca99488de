using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prism.ControlStore;
using Prism.Proxy.Routing;
using Prism.Proxy.Sessions;

namespace Prism.Proxy.Control;

/// <summary>
/// Reads maintenance and drain state from the control store every <see cref="ProxyOptions.ControlPollInterval"/>,
/// so every proxy sharing the store obeys an operator within one interval. Entering maintenance ends
/// open streams; a drain past its deadline closes every session.
/// </summary>
internal sealed partial class ControlStateMonitor(
    IControlStateSource store,
    ControlStateCache cache,
    SessionRegistry sessions,
    ProxyOptions options,
    TimeProvider time,
    ILogger<ControlStateMonitor> logger) : BackgroundService
{
    private bool _storeDown;

    /// <summary>Reads the state once; called before the listener starts so the first call already obeys it.</summary>
    public async Task PollAsync(CancellationToken cancellation)
    {
        ControlState state;
        try
        {
            state = await store.GetControlStateAsync(cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            // Keep obeying the last known state while the store is away.
            if (!_storeDown)
            {
                LogStoreUnavailable(logger, e);
                _storeDown = true;
            }

            return;
        }

        _storeDown = false;
        var previous = cache.Current;
        cache.Update(state);
        if (state.Maintenance.Enabled && !previous.Maintenance.Enabled)
        {
            LogMaintenance(logger, state.Maintenance.Message);
            sessions.EndStreams(new DataPlaneException(DataPlaneFailure.Unavailable, state.Maintenance.Message));
        }

        if (state.Drain is { Draining: true, Deadline: { } deadline } && time.GetUtcNow() >= deadline)
        {
            await sessions.CloseAllAsync(new DataPlaneException(DataPlaneFailure.Unavailable, state.Drain.Message), cancellation);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ControlPollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PollAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 8010, EventName = "ControlStoreUnavailable", Level = LogLevel.Warning,
        Message = "Reading maintenance and drain state from the control store failed; the last known state stays in force")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8011, EventName = "MaintenanceEntered", Level = LogLevel.Information,
        Message = "Maintenance mode is on: {Message}")]
    private static partial void LogMaintenance(ILogger logger, string message);
}
