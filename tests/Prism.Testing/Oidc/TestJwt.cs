using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Prism.Testing.Oidc;

/// <summary>
/// A JWT being put together by a test: header and payload are plain JSON objects that can be changed at will
/// (remove <c>kid</c>, set <c>alg</c> to <c>none</c>, drop <c>sub</c>, ...), then <see cref="Sign"/> writes the
/// compact form, signing according to the header's <c>alg</c>.
/// </summary>
public sealed class TestJwt
{
    /// <summary>Starts a token signed by <paramref name="key"/> with RS256.</summary>
    public TestJwt(TestSigningKey? key)
    {
        Key = key;
        Header["alg"] = "RS256";
        Header["typ"] = "JWT";
        if (key is not null)
        {
            Header["kid"] = key.KeyId;
        }
    }

    /// <summary>JOSE header.</summary>
    public JsonObject Header { get; } = [];

    /// <summary>Claims.</summary>
    public JsonObject Payload { get; } = [];

    /// <summary>RSA key for RS*/PS* algorithms.</summary>
    public TestSigningKey? Key { get; set; }

    /// <summary>Secret for HS* algorithms.</summary>
    public byte[]? HmacSecret { get; set; }

    /// <summary>Sets (or, with null, removes) a claim; values are serialised as JSON.</summary>
    public TestJwt With(string claim, object? value)
    {
        if (value is null)
        {
            Payload.Remove(claim);
        }
        else
        {
            Payload[claim] = JsonSerializer.SerializeToNode(value);
        }

        return this;
    }

    /// <summary>Sets (or, with null, removes) a header parameter.</summary>
    public TestJwt WithHeader(string name, string? value)
    {
        if (value is null)
        {
            Header.Remove(name);
        }
        else
        {
            Header[name] = value;
        }

        return this;
    }

    /// <summary>Signs with HMAC-SHA256 using <paramref name="secret"/> (alg HS256).</summary>
    public TestJwt SignWithHmac(byte[] secret)
    {
        HmacSecret = secret;
        Header["alg"] = "HS256";
        return this;
    }

    /// <summary>The compact serialisation: header.payload.signature.</summary>
    public string Sign()
    {
        var signingInput = Base64Url.Encode(Encoding.UTF8.GetBytes(Header.ToJsonString())) + "." +
            Base64Url.Encode(Encoding.UTF8.GetBytes(Payload.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(signingInput);
        var alg = (string?)Header["alg"] ?? "none";
        byte[] signature = alg switch
        {
            "none" => [],
            "HS256" => HMACSHA256.HashData(Secret(), data),
            "HS384" => HMACSHA384.HashData(Secret(), data),
            "HS512" => HMACSHA512.HashData(Secret(), data),
            "RS256" => Rsa().SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => Rsa().SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => Rsa().SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa().SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => throw new NotSupportedException($"TestJwt cannot sign with alg '{alg}'."),
        };
        return signingInput + "." + Base64Url.Encode(signature);
    }

    private byte[] Secret() => HmacSecret ?? throw new InvalidOperationException("Set HmacSecret to sign with HS*.");

    private RSA Rsa() => Key?.Rsa ?? throw new InvalidOperationException("Set Key to sign with RS*/PS*.");
}
