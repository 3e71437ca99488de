using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Prism.Identity.Configuration;

namespace Prism.Identity.Accounts;

/// <summary>
/// Slows down guessing without letting a stranger lock an account out. Failures are counted per
/// (account, client address): after <c>threshold</c> failures within the window, that pair waits a delay
/// that doubles with every further failure (30 s, 60 s, ...), capped at the window, while the same account
/// signs in from any other address. Failures are also counted per address across every account name (password
/// spraying, unknown names): beyond <see cref="AddressThresholdFactor"/> times the threshold the address waits
/// the same way. Both tables hold at most <see cref="IdentityOptions.ThrottleCapacity"/> entries; when full the
/// entries with the oldest last failure are dropped, so names that do not exist cannot grow memory.
/// A success clears the (account, address) record.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, IOptions<IdentityOptions> options)
{
    /// <summary>An address may fail this many times the per-account threshold, over all names, before it is slowed down.</summary>
    public const int AddressThresholdFactor = 4;

    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);
    private readonly BoundedFailures _pairs = new(StringComparer.OrdinalIgnoreCase);
    private readonly BoundedFailures _addresses = new(StringComparer.Ordinal);

    /// <summary>Entries held now (both tables), for tests and metrics.</summary>
    public int Count => _pairs.Count + _addresses.Count;

    /// <summary>How long <paramref name="account"/> must wait before its next attempt from <paramref name="address"/>, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string account, string address)
    {
        var threshold = options.Value.LockoutThreshold;
        var pair = RetryAfter(_pairs, PairKey(account, address), threshold);
        var byAddress = RetryAfter(_addresses, address, threshold * AddressThresholdFactor);
        return pair is null ? byAddress : byAddress is null ? pair : (pair > byAddress ? pair : byAddress);
    }

    /// <summary>Records a failed attempt for <paramref name="account"/> from <paramref name="address"/>.</summary>
    public void RecordFailure(string account, string address)
    {
        var now = time.GetUtcNow();
        var capacity = options.Value.ThrottleCapacity;
        _pairs.Add(PairKey(account, address), now, capacity, options.Value.LockoutWindow);
        _addresses.Add(address, now, capacity, options.Value.LockoutWindow);
    }

    /// <summary>Forgets the failures of <paramref name="account"/> from <paramref name="address"/> after a successful sign-in.</summary>
    public void RecordSuccess(string account, string address) => _pairs.Remove(PairKey(account, address));

    private TimeSpan? RetryAfter(BoundedFailures table, string key, int threshold)
    {
        if (!table.TryGet(key, out var failures))
        {
            return null;
        }

        lock (failures)
        {
            var now = time.GetUtcNow();
            var window = options.Value.LockoutWindow;
            failures.Times.RemoveAll(t => now - t > window);
            var excess = failures.Times.Count - threshold;
            if (excess < 0)
            {
                return null;
            }

            var delay = TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << Math.Min(excess, 20), window.Ticks));
            var until = failures.Times[^1] + delay;
            return until > now ? until - now : null;
        }
    }

    private static string PairKey(string account, string address) => account.Trim() + "\n" + address;

    private sealed class Failures
    {
        public List<DateTimeOffset> Times { get; } = [];

        public DateTimeOffset Last { get; set; }
    }

    private sealed class BoundedFailures(StringComparer comparer)
    {
        private readonly ConcurrentDictionary<string, Failures> _entries = new(comparer);

        public int Count => _entries.Count;

        public bool TryGet(string key, out Failures failures) => _entries.TryGetValue(key, out failures!);

        public void Remove(string key) => _entries.TryRemove(key, out _);

        public void Add(string key, DateTimeOffset now, int capacity, TimeSpan window)
        {
            if (!_entries.ContainsKey(key) && _entries.Count >= capacity)
            {
                MakeRoom(now, capacity, window);
            }

            var failures = _entries.GetOrAdd(key, _ => new Failures());
            lock (failures)
            {
                failures.Times.Add(now);
                failures.Last = now;
                // Only the newest failures within the window matter; a flood on one key keeps a bounded list.
                if (failures.Times.Count > 64)
                {
                    failures.Times.RemoveRange(0, failures.Times.Count - 64);
                }
            }
        }

        private void MakeRoom(DateTimeOffset now, int capacity, TimeSpan window)
        {
            lock (this)
            {
                foreach (var (key, failures) in _entries)
                {
                    if (now - failures.Last > window)
                    {
                        _entries.TryRemove(key, out _);
                    }
                }

                var excess = _entries.Count - capacity + Math.Max(1, capacity / 10);
                if (excess > 0)
                {
                    foreach (var key in _entries.OrderBy(e => e.Value.Last).Take(excess).Select(e => e.Key).ToList())
                    {
                        _entries.TryRemove(key, out _);
                    }
                }
            }
        }
    }
}
