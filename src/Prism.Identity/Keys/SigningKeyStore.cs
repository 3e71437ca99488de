using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Prism.Identity.Keys;

/// <summary>
/// RSA 2048 signing keys kept as PKCS#8 PEM files (mode 0600) in one folder, one file per key named
/// by its creation time. The newest key signs; the one it replaced is still published in JWKS for
/// one more rotation period so tokens it signed keep validating; older ones are deleted.
/// </summary>
public sealed partial class SigningKeyStore(string directory, TimeProvider time, ILogger logger)
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff'Z'";

    /// <summary>The folder holding the PEM files.</summary>
    public string Directory { get; } = directory;

    /// <summary>The <c>kid</c> of the key that signs, once <see cref="LoadPublished"/> ran.</summary>
    public string? CurrentKeyId { get; private set; }

    /// <summary>
    /// Loads the keys, creating the first one or a successor when the newest is older than
    /// <paramref name="rotation"/>. Returns the published keys, the signing one first.
    /// </summary>
    public IReadOnlyList<SigningKey> LoadPublished(TimeSpan rotation)
    {
        var keys = LoadAll();
        if (keys.Count == 0 || time.GetUtcNow() - keys[0].Created >= rotation)
        {
            keys.Insert(0, Rotate());
        }

        CurrentKeyId = keys[0].KeyId;
        var published = new List<SigningKey> { keys[0] };
        for (var i = 1; i < keys.Count; i++)
        {
            // keys[i - 1] replaced keys[i]; keep publishing keys[i] for one period after that.
            if (time.GetUtcNow() - keys[i - 1].Created < rotation)
            {
                published.Add(keys[i]);
            }
            else
            {
                File.Delete(keys[i].Path);
                LogRetired(logger, keys[i].KeyId);
            }
        }

        return published;
    }

    /// <summary>Generates a new signing key now; it signs from the next start of the server.</summary>
    public SigningKey Rotate()
    {
        using var rsa = RSA.Create(2048);
        var created = time.GetUtcNow();
        var path = Path.Combine(Directory, created.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + ".pem");
        OwnerOnlyFile.Write(path, System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
        var key = Load(path, created);
        LogCreated(logger, key.KeyId, path);
        return key;
    }

    private List<SigningKey> LoadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var keys = new List<SigningKey>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.pem"))
        {
            if (DateTimeOffset.TryParseExact(Path.GetFileNameWithoutExtension(path), TimeFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created))
            {
                keys.Add(Load(path, created));
            }
        }

        return [.. keys.OrderByDescending(k => k.Created)];
    }

    private static SigningKey Load(string path, DateTimeOffset created)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return new SigningKey(key.KeyId, created, key, path);
    }

    [LoggerMessage(EventId = 20, EventName = "SigningKeyCreated", Level = LogLevel.Information, Message = "signing key {KeyId} created at {Path}")]
    private static partial void LogCreated(ILogger logger, string keyId, string path);

    [LoggerMessage(EventId = 21, EventName = "SigningKeyRetired", Level = LogLevel.Information, Message = "signing key {KeyId} retired and deleted")]
    private static partial void LogRetired(ILogger logger, string keyId);
}

/// <summary>One persisted RSA signing key.</summary>
/// <param name="KeyId">The <c>kid</c>: the key's RFC 7638 JWK thumbprint, stable across restarts.</param>
/// <param name="Created">When the key was generated.</param>
/// <param name="Key">The key itself (private part included).</param>
/// <param name="Path">The PEM file.</param>
public sealed record SigningKey(string KeyId, DateTimeOffset Created, RsaSecurityKey Key, string Path);
