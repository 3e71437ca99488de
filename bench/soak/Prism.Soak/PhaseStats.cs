using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;

namespace Prism.Soak;

/// <summary>What the load saw during one phase: calls, failures by status, latencies, the last failure.</summary>
internal sealed class PhaseStats(string name, string fault)
{
    private readonly List<double> _latencyMs = [];
    private long _requests;
    private long _lastFailureTicks;
    private long _streamsReopened;

    public string Name { get; } = name;

    public string Fault { get; } = fault;

    /// <summary>When the phase's fault was injected (stopwatch ticks), and what the component took to come back.</summary>
    public long FaultTicks { get; set; }

    public string ComponentRecovery { get; set; } = "–";

    public ConcurrentDictionary<string, long> Errors { get; } = new();

    /// <summary>The first message seen for each status, for the log.</summary>
    public ConcurrentDictionary<string, string> FirstErrors { get; } = new();

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Consume and subscribe streams that broke (their proxy died) and were opened again.</summary>
    public long StreamsReopened => Interlocked.Read(ref _streamsReopened);

    public void StreamBroke(Exception error)
    {
        Interlocked.Increment(ref _streamsReopened);
        FirstErrors.TryAdd("stream " + Status(error), error.Message);
    }

    public void Succeeded(TimeSpan latency)
    {
        Interlocked.Increment(ref _requests);
        lock (_latencyMs)
        {
            _latencyMs.Add(latency.TotalMilliseconds);
        }
    }

    public void Failed(Exception error)
    {
        Interlocked.Increment(ref _requests);
        var status = Status(error);
        Errors.AddOrUpdate(status, 1, (_, n) => n + 1);
        FirstErrors.TryAdd(status, error.Message);
        Interlocked.Exchange(ref _lastFailureTicks, Stopwatch.GetTimestamp());
    }

    /// <summary>From the fault to the last failed call of the phase; null without a fault or a failed call.</summary>
    public TimeSpan? CallsRecoveredAfter =>
        FaultTicks > 0 && Interlocked.Read(ref _lastFailureTicks) is var last and > 0
            ? Stopwatch.GetElapsedTime(Math.Min(FaultTicks, last), last)
            : null;

    public double Percentile(double percentile)
    {
        lock (_latencyMs)
        {
            if (_latencyMs.Count == 0)
            {
                return double.NaN;
            }

            _latencyMs.Sort();
            return _latencyMs[(int)Math.Clamp(Math.Ceiling(percentile / 100 * _latencyMs.Count) - 1, 0, _latencyMs.Count - 1)];
        }
    }

    private static string Status(Exception error) => error switch
    {
        RpcException rpc => rpc.StatusCode.ToString(),
        OperationCanceledException => "Cancelled(client)",
        _ => error.GetType().Name,
    };
}

/// <summary>The phase the load records into; switched by the fault schedule.</summary>
internal sealed class PhaseClock
{
    private PhaseStats _current;

    public PhaseClock(PhaseStats first)
    {
        _current = first;
        All.Add(first);
    }

    public List<PhaseStats> All { get; } = [];

    public PhaseStats Current => Volatile.Read(ref _current);

    public void Enter(PhaseStats next)
    {
        All.Add(next);
        Volatile.Write(ref _current, next);
    }

    /// <summary>Runs <paramref name="call"/>, timing it into the current phase.</summary>
    public async Task<bool> MeasureAsync(Func<Task> call)
    {
        var phase = Current;
        var start = Stopwatch.GetTimestamp();
        try
        {
            await call();
            phase.Succeeded(Stopwatch.GetElapsedTime(start));
            return true;
        }
        catch (Exception e)
        {
            // Calls cut short by the end of the soak are not failures.
            if (!Stopping)
            {
                phase.Failed(e);
            }

            return false;
        }
    }

    public bool Stopping { get; set; }
}
