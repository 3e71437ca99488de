using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Prism.Identity.Configuration;

namespace Prism.Identity.Accounts;

/// <summary>
/// Slows down guessing: after <c>threshold</c> failed sign-ins for one account within the window,
/// further attempts are refused for a delay that doubles with every further failure (30 s, 60 s, ...),
/// capped at the window. A success clears the account's record.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, IOptions<IdentityOptions> options)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Failures> _accounts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long <paramref name="account"/> must wait before the next attempt, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string account)
    {
        if (!_accounts.TryGetValue(Normalize(account), out var failures))
        {
            return null;
        }

        lock (failures)
        {
            var now = time.GetUtcNow();
            var window = options.Value.LockoutWindow;
            failures.Times.RemoveAll(t => now - t > window);
            var excess = failures.Times.Count - options.Value.LockoutThreshold;
            if (excess < 0)
            {
                return null;
            }

            var delay = TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << Math.Min(excess, 20), window.Ticks));
            var until = failures.Times[^1] + delay;
            return until > now ? until - now : null;
        }
    }

    /// <summary>Records a failed attempt for <paramref name="account"/>.</summary>
    public void RecordFailure(string account)
    {
        var failures = _accounts.GetOrAdd(Normalize(account), _ => new Failures());
        lock (failures)
        {
            failures.Times.Add(time.GetUtcNow());
        }
    }

    /// <summary>Forgets the failures of <paramref name="account"/> after a successful sign-in.</summary>
    public void RecordSuccess(string account) => _accounts.TryRemove(Normalize(account), out _);

    private static string Normalize(string account) => account.Trim();

    private sealed class Failures
    {
        public List<DateTimeOffset> Times { get; } = [];
    }
}
