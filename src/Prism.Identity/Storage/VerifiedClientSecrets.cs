using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Prism.Identity.Storage;

/// <summary>
/// Remembers client secrets that passed PBKDF2 verification, so a machine client asking for a token
/// every few milliseconds costs one PBKDF2 derivation (about 10 ms of CPU) per <see cref="Lifetime"/>
/// instead of one per request.
/// </summary>
/// <remarks>
/// An entry is an HMAC-SHA256, under a key drawn at random for this process, of the stored hash and
/// the presented secret: nothing in the table is the secret or a fast hash anyone could test guesses
/// against without the process memory. Only successes are remembered, so a wrong secret (even right
/// after the right one) always runs PBKDF2 and is refused as before. The stored hash carries a random
/// salt and is rewritten whenever a client's registration changes, so a new secret, a removed client
/// or any re-registration leaves no usable entry. Entries live <see cref="Lifetime"/>; the table holds
/// at most <see cref="Capacity"/> and is emptied when full.
/// </remarks>
public sealed class VerifiedClientSecrets(TimeProvider time)
{
    /// <summary>How long a verified secret is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Most entries kept at once.</summary>
    public const int Capacity = 1024;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    private long _verifications;

    /// <summary>Number of remembered verifications (for tests).</summary>
    public int Count => _verified.Count;

    /// <summary>How many PBKDF2 verifications succeeded and were remembered since start (for tests and the bench).</summary>
    public long Verifications => Interlocked.Read(ref _verifications);

    /// <summary>True when <paramref name="secret"/> was verified against <paramref name="storedHash"/> within <see cref="Lifetime"/>.</summary>
    public bool IsVerified(string storedHash, string secret)
    {
        var entry = Entry(storedHash, secret);
        if (!_verified.TryGetValue(entry, out var expires))
        {
            return false;
        }

        if (time.GetUtcNow() < expires)
        {
            return true;
        }

        _verified.TryRemove(entry, out _);
        return false;
    }

    /// <summary>Remembers a successful verification.</summary>
    public void Remember(string storedHash, string secret)
    {
        if (_verified.Count >= Capacity)
        {
            _verified.Clear();
        }

        _verified[Entry(storedHash, secret)] = time.GetUtcNow() + Lifetime;
        Interlocked.Increment(ref _verifications);
    }

    /// <summary>Forgets every verification, e.g. when client registrations change.</summary>
    public void Clear() => _verified.Clear();

    private string Entry(string storedHash, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(storedHash + "\n" + secret)));
}
