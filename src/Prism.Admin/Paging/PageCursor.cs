using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Prism.Admin.Calls;

namespace Prism.Admin.Paging;

/// <summary>
/// Opaque, HMAC-signed page tokens: a client can hand back only what the server issued,
/// for the same list. A tampered or foreign token is INVALID_ARGUMENT.
/// </summary>
internal sealed class PageCursor(byte[] key)
{
    /// <summary>Page size when the request says 0.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>Largest page size honoured.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The token for the page after <paramref name="lastKey"/> of list <paramref name="list"/>; empty at the end.</summary>
    public string Encode(string list, string? lastKey)
    {
        if (lastKey is null)
        {
            return "";
        }

        var payload = Encoding.UTF8.GetBytes(list + "\n" + lastKey);
        return WebEncoders.Base64UrlEncode(payload) + "." + WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, payload));
    }

    /// <summary>The last key of the previous page, or null for the first page.</summary>
    /// <exception cref="AdminValidationException">The token was not issued by this server for this list.</exception>
    public string? Decode(string list, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var parts = token.Split('.');
        byte[] payload, mac;
        try
        {
            if (parts.Length != 2)
            {
                throw new FormatException();
            }

            payload = WebEncoders.Base64UrlDecode(parts[0]);
            mac = WebEncoders.Base64UrlDecode(parts[1]);
        }
        catch (FormatException)
        {
            throw new AdminValidationException("page_token", "malformed page token; pass the next_page_token of a previous response unchanged");
        }

        var text = Encoding.UTF8.GetString(payload);
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload)) || !text.StartsWith(list + "\n", StringComparison.Ordinal))
        {
            throw new AdminValidationException("page_token", "page token was tampered with or belongs to another list");
        }

        return text[(list.Length + 1)..];
    }

    /// <summary>The page size to use for a requested size.</summary>
    /// <exception cref="AdminValidationException">Negative size.</exception>
    public static int Size(int requested) => requested switch
    {
        < 0 => throw new AdminValidationException("page_size", "must not be negative"),
        0 => DefaultPageSize,
        _ => Math.Min(requested, MaxPageSize),
    };
}
