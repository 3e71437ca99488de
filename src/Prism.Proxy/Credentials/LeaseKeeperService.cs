using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Prism.Proxy.Credentials;

/// <summary>
/// Runs the <see cref="LeaseKeeper"/>: a sweep at start, then renewals (checked four times a second),
/// a heartbeat every second and a sweep every <see cref="ProxyOptions.LeaseSweepInterval"/>. On
/// shutdown, after the sessions closed, whatever credential is left is revoked.
/// </summary>
internal sealed partial class LeaseKeeperService(LeaseKeeper keeper, ProxyOptions options, TimeProvider time, ILogger<LeaseKeeperService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await keeper.RevokeAllAsync("proxy shutting down", timeout.Token);
        }
        catch (Exception e)
        {
            // Out of time or store away: the leases stay recorded and another proxy's sweep revokes them.
            LogFailed(logger, e, "revoke at shutdown");
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RunAsync(keeper.HeartbeatAsync, "heartbeat", stoppingToken);
        await RunAsync(keeper.SweepAsync, "sweep", stoppingToken);
        var lastHeartbeat = time.GetUtcNow();
        var lastSweep = lastHeartbeat;
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunAsync(keeper.RenewDueAsync, "renew", stoppingToken);
                var now = time.GetUtcNow();
                if (now - lastHeartbeat >= HeartbeatEvery)
                {
                    lastHeartbeat = now;
                    await RunAsync(keeper.HeartbeatAsync, "heartbeat", stoppingToken);
                }

                if (now - lastSweep >= options.LeaseSweepInterval)
                {
                    lastSweep = now;
                    await RunAsync(keeper.SweepAsync, "sweep", stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RunAsync(Func<CancellationToken, Task> step, string name, CancellationToken stoppingToken)
    {
        try
        {
            await step(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, e, name);
        }
    }

    [LoggerMessage(EventId = 8044, EventName = "LeaseKeepingFailed", Level = LogLevel.Warning,
        Message = "Credential lease {Step} failed; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception, string step);
}
