using System.Security.Cryptography;
using System.Text;

namespace Prism.Backends.Credentials;

/// <summary>
/// A PostgreSQL SCRAM-SHA-256 password verifier (RFC 5802/7677), so <c>CREATE ROLE … PASSWORD</c>
/// sends the server a hash: the plain password never appears in server logs or <c>pg_stat_activity</c>.
/// </summary>
public static class ScramVerifier
{
    private const int Iterations = 4096;

    /// <summary>The verifier of <paramref name="password"/> (ASCII, so SASLprep leaves it unchanged).</summary>
    public static string Create(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
