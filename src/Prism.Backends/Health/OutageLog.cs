using Microsoft.Extensions.Logging;

namespace Prism.Backends.Health;

/// <summary>
/// Logs a backend's outage once instead of once per failed call: a warning with the details at the first
/// failure after it worked, and a line when a call succeeds again, with how many calls failed meanwhile.
/// One per driver; thread-safe and cheap on the success path.
/// </summary>
public sealed class OutageLog(ILogger logger, string backend)
{
    private int _down;
    private long _failedCalls;

    /// <summary>Counts a failed call; logs <paramref name="failure"/> when it starts an outage. Returns it, to throw.</summary>
    public BackendUnavailableException Failed(BackendUnavailableException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Interlocked.Increment(ref _failedCalls);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            BackendLog.BackendUnavailable(logger, backend, failure.Code, failure.Detail);
        }

        return failure;
    }

    /// <summary>Records a call that worked; ends an outage in progress.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            BackendLog.BackendRestored(logger, backend, Interlocked.Exchange(ref _failedCalls, 0));
        }
    }
}
