using Microsoft.Extensions.Logging;

namespace Prism.Backends;

/// <summary>Runs a driver's purge of expired data every interval on <see cref="TimeProvider"/> time; one run at a time.</summary>
internal sealed class PeriodicPurge : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<int>> _purge;
    private readonly ILogger _logger;
    private readonly string _backend;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _timer;
    private int _running;

    public PeriodicPurge(TimeProvider time, TimeSpan interval, string backend, Func<CancellationToken, Task<int>> purge, ILogger logger)
    {
        _purge = purge;
        _logger = logger;
        _backend = backend;
        _timer = time.CreateTimer(_ => _ = RunAsync(), null, interval, interval);
    }

    /// <summary>Purges now (also called by the timer); returns how many entries went.</summary>
    public async Task<int> RunAsync()
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            return 0;
        }

        try
        {
            var count = await _purge(_stopping.Token);
            BackendLog.ExpiredKeysPurged(_logger, _backend, count);
            return count;
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            BackendLog.PurgeFailed(_logger, _backend, e);
            return 0;
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }
}
