using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Prism.Identity.Configuration;

namespace Prism.Identity.Endpoints;

/// <summary>
/// Runs before OpenIddict on the token endpoint. Each client address gets
/// <see cref="IdentityOptions.TokenRateLimit"/> requests per minute (fixed window), beyond which it is answered
/// 429 with OAuth error <c>slow_down</c> and Retry-After. A device code polled sooner than the announced
/// <c>interval</c> is answered <c>slow_down</c> (RFC 8628 3.5) and its interval grows by 5 s. Both tables are
/// bounded by <see cref="IdentityOptions.ThrottleCapacity"/>, dropping the oldest entries.
/// </summary>
internal sealed class TokenRequestThrottle(TimeProvider time, IOptions<IdentityOptions> options)
{
    /// <summary>Seconds a device waits between two polls (RFC 8628 <c>interval</c>), announced in the device authorization response.</summary>
    public const int DevicePollSeconds = 5;

    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Counter> _addresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DevicePoll> _devices = new(StringComparer.Ordinal);

    /// <summary>Answers the request itself (429 or slow_down) and returns true, or returns false to let OpenIddict handle it.</summary>
    public async Task<bool> RefuseAsync(HttpContext context)
    {
        var now = time.GetUtcNow();
        var counter = Bounded(_addresses, ClientAddress.Of(context), now, () => new Counter(now));
        int count;
        DateTimeOffset windowEnd;
        lock (counter)
        {
            if (now - counter.Start >= Window)
            {
                counter.Start = now;
                counter.Count = 0;
            }

            count = ++counter.Count;
            counter.Last = now;
            windowEnd = counter.Start + Window;
        }

        if (count > options.Value.TokenRateLimit)
        {
            var wait = (int)Math.Ceiling((windowEnd - now).TotalSeconds);
            context.Response.Headers.RetryAfter = Math.Max(wait, 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests,
                $"Too many token requests from this address (limit {options.Value.TokenRateLimit} per minute); retry in {Math.Max(wait, 1)} seconds.");
            return true;
        }

        if (!context.Request.HasFormContentType)
        {
            return false;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != DeviceCodeGrant || form["device_code"].ToString() is not { Length: > 0 } deviceCode)
        {
            return false;
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(deviceCode)));
        var interval = TimeSpan.FromSeconds(DevicePollSeconds);
        var poll = Bounded(_devices, key, now, () => new DevicePoll(interval));
        bool tooSoon;
        lock (poll)
        {
            // A poll counts from the previous one; 80 % of the interval absorbs network jitter.
            tooSoon = poll.Last is { } previous && now - previous < poll.Interval * 0.8;
            if (tooSoon)
            {
                poll.Interval += TimeSpan.FromSeconds(5);
            }

            poll.Last = now;
        }

        if (tooSoon)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest,
                $"The device polls too often; wait at least {(int)poll.Interval.TotalSeconds} seconds between token requests.");
            return true;
        }

        return false;
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string description)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = "slow_down", ["error_description"] = description });
    }

    private T Bounded<T>(ConcurrentDictionary<string, T> table, string key, DateTimeOffset now, Func<T> create) where T : class, IStamped
    {
        if (table.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var capacity = options.Value.ThrottleCapacity;
        if (table.Count >= capacity)
        {
            lock (table)
            {
                foreach (var (stale, _) in table.Where(e => now - e.Value.Last > 2 * Window).ToList())
                {
                    table.TryRemove(stale, out _);
                }

                var excess = table.Count - capacity + Math.Max(1, capacity / 10);
                foreach (var (oldest, _) in table.OrderBy(e => e.Value.Last).Take(Math.Max(excess, 0)).ToList())
                {
                    table.TryRemove(oldest, out _);
                }
            }
        }

        return table.GetOrAdd(key, _ => create());
    }

    private interface IStamped
    {
        DateTimeOffset? Last { get; }
    }

    private sealed class Counter(DateTimeOffset start) : IStamped
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Count { get; set; }

        public DateTimeOffset? Last { get; set; } = start;
    }

    private sealed class DevicePoll(TimeSpan interval) : IStamped
    {
        public TimeSpan Interval { get; set; } = interval;

        public DateTimeOffset? Last { get; set; }
    }
}
