using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prism.ControlStore;

namespace Prism.Admin.Operations;

/// <summary>
/// Deletes audit entries and sessions past their retention every <see cref="AdminOptions.RetentionInterval"/>.
/// Every admin process runs it unless its interval is 0; the store's prune is safe to run from several at once.
/// </summary>
internal sealed partial class RetentionPruner(IControlStore store, IOptions<AdminOptions> options, TimeProvider time, ILogger<RetentionPruner> logger)
    : BackgroundService
{
    /// <summary>Prunes once, now.</summary>
    public Task<PruneOutcome> PruneOnceAsync(CancellationToken cancellationToken) =>
        store.PruneAsync(options.Value.Retention, time.GetUtcNow(), cancellationToken);

    private PeriodicTimer? _timer;

    /// <inheritdoc />
    /// <remarks>The schedule starts here, so the first cycle comes one interval after start whenever the loop gets a thread.</remarks>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.RetentionInterval;
        _timer = interval > TimeSpan.Zero ? new PeriodicTimer(interval, time) : null;
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        using (timer)
        {
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    await PruneCycleAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task PruneCycleAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PruneOnceAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogPruneFailed(logger, e.GetType().Name, e.Message);
        }
    }

    [LoggerMessage(EventId = 110, EventName = "RetentionPruneFailed", Level = LogLevel.Warning,
        Message = "retention prune failed, retrying at the next interval: {ErrorType}: {Error}")]
    private static partial void LogPruneFailed(ILogger logger, string errorType, string error);
}
