namespace Prism.Telemetry.Store;

/// <summary>
/// Bounded in-memory store of received spans, log records and metric points. Each kind has its
/// own limit; past it the oldest data goes first (whole traces, in the order they arrived).
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
            }

            while (_traceOrder.First is { } oldest && (_traces.Count > Limits.MaxTraces || _spanCount > Limits.MaxSpans))
            {
                var trace = _traces[oldest.Value];
                if (_traces.Count == 1)
                {
                    // One trace larger than the span limit keeps its newest spans.
                    var excess = _spanCount - Limits.MaxSpans;
                    trace.RemoveRange(0, excess);
                    _spanCount -= excess;
                    _evicted += excess;
                    break;
                }

                _traces.Remove(oldest.Value);
                _traceNodes.Remove(oldest.Value);
                _traceOrder.RemoveFirst();
                _spanCount -= trace.Count;
                _evicted += trace.Count;
            }
        }
    }

    /// <summary>Adds log records, evicting the oldest past the limit.</summary>
    public void AddLogs(IEnumerable<LogEntry> logs) => AddBounded(_logs, logs, Limits.MaxLogs);

    /// <summary>Adds metric points, evicting the oldest past the limit.</summary>
    public void AddMetricPoints(IEnumerable<MetricPoint> points) => AddBounded(_points, points, Limits.MaxMetricPoints);

    /// <summary>How much the store holds.</summary>
    public StoreCounts Counts()
    {
        lock (_gate)
        {
            return new StoreCounts(_traces.Count, _spanCount, _logs.Count, _points.Count, _evicted);
        }
    }

    private void AddBounded<T>(LinkedList<T> list, IEnumerable<T> items, int limit)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_gate)
        {
            foreach (var item in items)
            {
                list.AddLast(item);
            }

            while (list.Count > limit)
            {
                list.RemoveFirst();
                _evicted++;
            }
        }
    }
}
