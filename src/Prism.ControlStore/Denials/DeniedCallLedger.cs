namespace Prism.ControlStore.Denials;

/// <summary>Refused calls from one address and of one status code that were counted instead of audited one by one.</summary>
/// <param name="Address">The client's IP address (<c>*</c> for addresses folded together when too many were pending).</param>
/// <param name="StatusCode">gRPC status code name the calls were answered with.</param>
/// <param name="Count">How many.</param>
/// <param name="First">When the first was refused.</param>
/// <param name="Last">When the last was refused.</param>
public sealed record DeniedCallSummary(string Address, string StatusCode, long Count, DateTimeOffset First, DateTimeOffset Last);

/// <summary>
/// Per client address budget of refused calls that get an audit entry each, in fixed windows: within it
/// <see cref="TryAdmit"/> answers true; past it the call is counted, and <see cref="TakeSummaries"/> turns the
/// counts into one summary per address and status code, so every refusal is accounted for in a bounded number
/// of rows. The address table holds at most <see cref="MaxAddresses"/>; the least recently seen is evicted
/// (its counts become a summary first).
/// </summary>
public sealed class DeniedCallLedger
{
    /// <summary>Addresses tracked at once unless told otherwise.</summary>
    public const int DefaultMaxAddresses = 10_000;

    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<AddressWindow>> _addresses = new(StringComparer.Ordinal);
    private readonly LinkedList<AddressWindow> _leastRecentFirst = new();
    private readonly List<DeniedCallSummary> _ready = [];
    private readonly Dictionary<string, Counted> _overflow = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>A ledger admitting <paramref name="callsPerWindow"/> audited refusals per address per <paramref name="window"/>.</summary>
    public DeniedCallLedger(int callsPerWindow, TimeSpan window, TimeProvider time, int maxAddresses = DefaultMaxAddresses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(callsPerWindow);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAddresses, 1);
        CallsPerWindow = callsPerWindow;
        Window = window;
        MaxAddresses = maxAddresses;
        _time = time;
    }

    /// <summary>Refusals per address per window that get an audit entry each.</summary>
    public int CallsPerWindow { get; }

    /// <summary>Length of a window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Most addresses tracked at once.</summary>
    public int MaxAddresses { get; }

    /// <summary>Addresses tracked now.</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (_gate)
            {
                return _addresses.Count;
            }
        }
    }

    /// <summary>
    /// Takes one refusal of <paramref name="statusCode"/> from <paramref name="address"/>: true while the address is within
    /// its budget (the caller audits the call itself), false once past it (the call is counted for a summary).
    /// </summary>
    public bool TryAdmit(string address, string statusCode)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var window = Touch(address, now);
            if (window.Admitted < CallsPerWindow)
            {
                window.Admitted++;
                return true;
            }

            window.Count(statusCode, now, 1);
            return false;
        }
    }

    /// <summary>Counts a refusal that could not be audited one by one (for example a full write queue).</summary>
    public void Count(string address, string statusCode)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            Touch(address, now).Count(statusCode, now, 1);
        }
    }

    /// <summary>
    /// Summaries of the windows that ended (all of them with <paramref name="everything"/>, at shutdown);
    /// addresses idle for a whole window are forgotten.
    /// </summary>
    public IReadOnlyList<DeniedCallSummary> TakeSummaries(bool everything = false)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            for (var node = _leastRecentFirst.First; node is not null;)
            {
                var next = node.Next;
                var window = node.Value;
                if (everything || now - window.Start >= Window)
                {
                    Close(window);
                }

                if (now - window.LastSeen >= Window)
                {
                    _leastRecentFirst.Remove(node);
                    _addresses.Remove(window.Address);
                }

                node = next;
            }

            var taken = new List<DeniedCallSummary>(_ready);
            taken.AddRange(_overflow.Select(o => new DeniedCallSummary("*", o.Key, o.Value.Calls, o.Value.First, o.Value.Last)));
            _ready.Clear();
            _overflow.Clear();
            return taken;
        }
    }

    private AddressWindow Touch(string address, DateTimeOffset now)
    {
        if (_addresses.TryGetValue(address, out var node))
        {
            _leastRecentFirst.Remove(node);
            _leastRecentFirst.AddLast(node);
        }
        else
        {
            if (_addresses.Count >= MaxAddresses && _leastRecentFirst.First is { } oldest)
            {
                Close(oldest.Value);
                _leastRecentFirst.RemoveFirst();
                _addresses.Remove(oldest.Value.Address);
            }

            node = _leastRecentFirst.AddLast(new AddressWindow(address, now));
            _addresses[address] = node;
        }

        var window = node.Value;
        if (now - window.Start >= Window)
        {
            Close(window);
            window.Start = now;
            window.Admitted = 0;
        }

        window.LastSeen = now;
        return window;
    }

    private void Close(AddressWindow window)
    {
        foreach (var (code, counted) in window.Suppressed)
        {
            if (_ready.Count < MaxAddresses)
            {
                _ready.Add(new DeniedCallSummary(window.Address, code, counted.Calls, counted.First, counted.Last));
            }
            else
            {
                // Pending summaries are bounded too: past the limit they fold into one per status code.
                ref var folded = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_overflow, code, out var exists);
                folded = exists ? folded.Add(counted) : counted;
            }
        }

        window.Suppressed.Clear();
    }

    private sealed class AddressWindow(string address, DateTimeOffset start)
    {
        public string Address { get; } = address;

        public DateTimeOffset Start { get; set; } = start;

        public DateTimeOffset LastSeen { get; set; } = start;

        public int Admitted { get; set; }

        public Dictionary<string, Counted> Suppressed { get; } = new(StringComparer.Ordinal);

        public void Count(string code, DateTimeOffset now, long calls) =>
            Suppressed[code] = Suppressed.TryGetValue(code, out var counted) ? counted.Add(new Counted(calls, now, now)) : new Counted(calls, now, now);
    }

    private readonly record struct Counted(long Calls, DateTimeOffset First, DateTimeOffset Last)
    {
        public Counted Add(Counted other) =>
            new(Calls + other.Calls, First < other.First ? First : other.First, Last > other.Last ? Last : other.Last);
    }
}
