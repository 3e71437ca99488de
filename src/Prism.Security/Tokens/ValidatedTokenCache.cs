using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Prism.Security.Configuration;

namespace Prism.Security.Tokens;

/// <summary>
/// Principals of tokens validated recently, keyed by the SHA-256 of the token (the token itself is not kept).
/// An entry lives min(exp - now, <see cref="SecurityOptions.TokenCacheTtl"/>); the cache holds at most
/// <see cref="SecurityOptions.TokenCacheSize"/> entries.
/// </summary>
public sealed class ValidatedTokenCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SecurityOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates an empty cache.</summary>
    public ValidatedTokenCache(IOptions<SecurityOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
    }

    /// <summary>Entries currently held (expired ones included until they are looked up or pruned).</summary>
    public int Count => _entries.Count;

    /// <summary>The principal of <paramref name="token"/> if it was validated and its entry has not expired.</summary>
    public bool TryGet(string token, out PrismPrincipal principal)
    {
        principal = null!;
        if (_options.TokenCacheTtl <= TimeSpan.Zero)
        {
            return false;
        }

        var key = KeyOf(token);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (entry.ExpiresAt <= _time.GetUtcNow())
        {
            _entries.TryRemove(key, out _);
            return false;
        }

        principal = entry.Principal;
        return true;
    }

    /// <summary>Remembers the principal of a token that passed validation.</summary>
    public void Add(string token, PrismPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var now = _time.GetUtcNow();
        var expiresAt = Min(principal.ExpiresAt, now + _options.TokenCacheTtl);
        if (expiresAt <= now)
        {
            return;
        }

        if (_entries.Count >= _options.TokenCacheSize)
        {
            MakeRoom(now);
        }

        _entries[KeyOf(token)] = new Entry(principal, expiresAt);
    }

    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }

        // Still full of live entries: drop those closest to expiry, a tenth of the capacity at a time.
        var excess = _entries.Count - _options.TokenCacheSize + Math.Max(1, _options.TokenCacheSize / 10);
        if (excess > 0)
        {
            foreach (var (key, _) in _entries.OrderBy(e => e.Value.ExpiresAt).Take(excess).ToList())
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string KeyOf(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Entry(PrismPrincipal Principal, DateTimeOffset ExpiresAt);
}
