using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Prism.Identity.Keys;

/// <summary>
/// The AES-256 key OpenIddict encrypts its own artefacts with (authorization codes, device codes,
/// refresh tokens). Persisted (mode 0600) so refresh tokens survive a restart. Access and ID tokens
/// are signed JWTs and do not use it.
/// </summary>
public static class TokenEncryptionKey
{
    /// <summary>Loads the key from <paramref name="path"/>, creating it when missing.</summary>
    public static SymmetricSecurityKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            OwnerOnlyFile.Write(path, RandomNumberGenerator.GetBytes(32));
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != 32)
        {
            throw new InvalidOperationException($"Token encryption key {path} is not 32 bytes long; delete it to have a new one generated.");
        }

        return new SymmetricSecurityKey(bytes) { KeyId = "prism-identity-encryption" };
    }
}
