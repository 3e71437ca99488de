using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Prism.Testing.Oidc;

/// <summary>An RSA signing key of the <see cref="TestOidcIssuer"/>, with its key id.</summary>
public sealed class TestSigningKey : IDisposable
{
    /// <summary>Creates a fresh 2048-bit RSA key with a random key id.</summary>
    public TestSigningKey(string? keyId = null)
    {
        Rsa = RSA.Create(2048);
        KeyId = keyId ?? "test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
    }

    /// <summary>The <c>kid</c> this key is published under.</summary>
    public string KeyId { get; }

    /// <summary>The private key.</summary>
    public RSA Rsa { get; }

    /// <summary>The public modulus: what an attacker would use as HMAC secret in an algorithm-confusion attack.</summary>
    public byte[] Modulus => Rsa.ExportParameters(false).Modulus!;

    /// <summary>The public key as a JWK (kty RSA, use sig, alg RS256).</summary>
    public JsonObject ToJwk()
    {
        var p = Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = KeyId,
            ["n"] = Base64Url.Encode(p.Modulus!),
            ["e"] = Base64Url.Encode(p.Exponent!),
        };
    }

    /// <inheritdoc />
    public void Dispose() => Rsa.Dispose();
}

/// <summary>base64url without padding (RFC 7515).</summary>
public static class Base64Url
{
    /// <summary>Encodes bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
