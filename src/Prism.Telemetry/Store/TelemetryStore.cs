namespace Prism.Telemetry.Store;

/// <summary>
/// Bounded in-memory store of received spans, log records and metric points. Each kind has its
/// own count limit, and together they stay under <see cref="StoreLimits.MaxStoreBytes"/> (estimated);
/// past a limit the oldest data goes first (whole traces, in the order they arrived).
/// Thread-safe: receivers add while the viewer reads.
/// </summary>
public sealed partial class TelemetryStore(StoreLimits limits)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SpanRecord>> _traces = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _traceOrder = new();
    private readonly Dictionary<string, LinkedListNode<string>> _traceNodes = new(StringComparer.Ordinal);
    private readonly LinkedList<LogEntry> _logs = new();
    private readonly LinkedList<MetricPoint> _points = new();
    private int _spanCount;
    private long _spanBytes;
    private long _logBytes;
    private long _pointBytes;
    private long _evicted;

    /// <summary>The limits in force.</summary>
    public StoreLimits Limits { get; } = limits;

    /// <summary>Adds spans, then evicts the oldest traces while a limit is exceeded.</summary>
    public void AddSpans(IEnumerable<SpanRecord> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        lock (_gate)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    trace = [];
                    _traces.Add(span.TraceId, trace);
                    _traceNodes.Add(span.TraceId, _traceOrder.AddLast(span.TraceId));
                }

                trace.Add(span);
                _spanCount++;
                _spanBytes += ItemSize.Of(span);
            }

            while (_traceOrder.First is not null && (_traces.Count > Limits.MaxTraces || _spanCount > Limits.MaxSpans))
            {
                EvictOldestSpans(_spanCount - Limits.MaxSpans);
            }

            TrimToMemoryBudget();
        }
    }

    /// <summary>Adds log records, evicting the oldest past the limit.</summary>
    public void AddLogs(IEnumerable<LogEntry> logs) => AddBounded(_logs, logs, Limits.MaxLogs, ItemSize.Of, ref _logBytes);

    /// <summary>Adds metric points, evicting the oldest past the limit.</summary>
    public void AddMetricPoints(IEnumerable<MetricPoint> points) => AddBounded(_points, points, Limits.MaxMetricPoints, ItemSize.Of, ref _pointBytes);

    /// <summary>Estimated memory the stored items take, in bytes.</summary>
    public long EstimatedBytes
    {
        get
        {
            lock (_gate)
            {
                return _spanBytes + _logBytes + _pointBytes;
            }
        }
    }

    /// <summary>How much the store holds.</summary>
    public StoreCounts Counts()
    {
        lock (_gate)
        {
            return new StoreCounts(_traces.Count, _spanCount, _logs.Count, _points.Count, _evicted);
        }
    }

    private void AddBounded<T>(LinkedList<T> list, IEnumerable<T> items, int limit, Func<T, long> size, ref long bytes)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_gate)
        {
            foreach (var item in items)
            {
                list.AddLast(item);
                bytes += size(item);
            }

            while (list.Count > limit)
            {
                bytes -= size(list.First!.Value);
                list.RemoveFirst();
                _evicted++;
            }

            TrimToMemoryBudget();
        }
    }

    /// <summary>Evicts the oldest items of whichever kind takes the most memory until all fit the budget.</summary>
    private void TrimToMemoryBudget()
    {
        while (_spanBytes + _logBytes + _pointBytes > Limits.MaxStoreBytes)
        {
            if (_spanBytes >= _logBytes && _spanBytes >= _pointBytes)
            {
                EvictOldestSpans(1);
            }
            else if (_logBytes >= _pointBytes)
            {
                _logBytes -= ItemSize.Of(_logs.First!.Value);
                _logs.RemoveFirst();
                _evicted++;
            }
            else
            {
                _pointBytes -= ItemSize.Of(_points.First!.Value);
                _points.RemoveFirst();
                _evicted++;
            }
        }
    }

    /// <summary>
    /// Evicts the oldest trace whole; when it is the only one, its <paramref name="spans"/> oldest spans
    /// (at least one), so one trace larger than a limit keeps its newest spans.
    /// </summary>
    private void EvictOldestSpans(int spans)
    {
        var oldest = _traceOrder.First!;
        var trace = _traces[oldest.Value];
        if (_traces.Count == 1 && trace.Count > 1)
        {
            var excess = Math.Clamp(spans, 1, trace.Count - 1);
            _spanBytes -= trace.Take(excess).Sum(ItemSize.Of);
            trace.RemoveRange(0, excess);
            _spanCount -= excess;
            _evicted += excess;
            return;
        }

        _traces.Remove(oldest.Value);
        _traceNodes.Remove(oldest.Value);
        _traceOrder.RemoveFirst();
        _spanCount -= trace.Count;
        _spanBytes -= trace.Sum(ItemSize.Of);
        _evicted += trace.Count;
    }
}
