using System.Security.Cryptography;
using System.Text;

namespace Prism.Backends.Credentials;

/// <summary>Names and secrets of issued credentials: recognisable, so sweeps find their own and nothing else.</summary>
public static class CredentialNames
{
    /// <summary>A new lease id: 20 lowercase hex characters.</summary>
    public static string NewLeaseId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>A new password: 32 random bytes, hex.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// <paramref name="prefix"/> + <paramref name="name"/> when it fits in <paramref name="maxLength"/>,
    /// else a cut of it with a hash, so distinct names stay distinct.
    /// </summary>
    public static string Bounded(string prefix, string name, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(name);
        if (prefix.Length + name.Length <= maxLength)
        {
            return prefix + name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 4));
        return prefix + name[..(maxLength - prefix.Length - hash.Length - 1)] + "_" + hash;
    }
}
