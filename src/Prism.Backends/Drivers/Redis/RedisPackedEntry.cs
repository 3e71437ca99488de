using System.Buffers.Binary;
using System.Text;
using Prism.Backends.PubSub;

namespace Prism.Backends.Drivers.Redis;

/// <summary>
/// A queue message as the one field of its stream entry: a version byte, the enqueue time (8 bytes, little
/// endian), the message id and the six context values as length-prefixed UTF-8 (length 0: not set, so an empty
/// value reads back as unset, as <see cref="MessageContext.Normalised"/> makes it), the
/// metadata as a count and length-prefixed key/value pairs, then the payload to the end. One field instead of one
/// per value costs Redis, the idempotent-publish script and both ends of the connection much less per message
/// (the script converts every argument, XADD and XREADGROUP handle every field). Lengths and counts are
/// 7-bit varints.
/// </summary>
internal static class RedisPackedEntry
{
    private const byte Version = 1;

    private static readonly Dictionary<string, string> Empty = [];

    /// <summary>The packed form of a message.</summary>
    public static byte[] Pack(string id, ReadOnlySpan<byte> payload, IReadOnlyDictionary<string, string>? metadata, MessageContext context, long enqueuedAt)
    {
        string?[] texts = [id, context.PublisherSubject, context.PublisherClientId, context.SessionId, context.Namespace, context.TraceParent, context.TraceState];
        var size = 1 + sizeof(long) + payload.Length + VarintSize(metadata?.Count ?? 0);
        foreach (var text in texts)
        {
            size += TextSize(text);
        }

        foreach (var (key, value) in metadata ?? Empty)
        {
            size += TextSize(key) + TextSize(value);
        }

        var packed = new byte[size];
        var rest = packed.AsSpan();
        rest[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(rest[1..], enqueuedAt);
        rest = rest[(1 + sizeof(long))..];
        foreach (var text in texts)
        {
            WriteText(ref rest, text);
        }

        WriteVarint(ref rest, metadata?.Count ?? 0);
        foreach (var (key, value) in metadata ?? Empty)
        {
            WriteText(ref rest, key);
            WriteText(ref rest, value);
        }

        payload.CopyTo(rest);
        return packed;
    }

    /// <summary>The message <paramref name="packed"/> holds, or false when it is not in this format.</summary>
    public static bool TryUnpack(byte[] packed, out (string? Id, byte[] Payload, Dictionary<string, string> Metadata, MessageContext Context, long EnqueuedAt) message)
    {
        message = default;
        ReadOnlySpan<byte> rest = packed;
        if (rest.Length < 1 + sizeof(long) || rest[0] != Version)
        {
            return false;
        }

        var enqueuedAt = BinaryPrimitives.ReadInt64LittleEndian(rest[1..]);
        rest = rest[(1 + sizeof(long))..];
        var texts = new string?[7];
        for (var i = 0; i < texts.Length; i++)
        {
            if (!TryReadText(ref rest, out texts[i]))
            {
                return false;
            }
        }

        if (!TryReadVarint(ref rest, out var count) || count > rest.Length)
        {
            return false;
        }

        var metadata = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (!TryReadText(ref rest, out var key) || !TryReadText(ref rest, out var value))
            {
                return false;
            }

            metadata[key ?? ""] = value ?? "";
        }

        var context = new MessageContext(texts[1], texts[2], texts[3], texts[4], texts[5], texts[6]);
        message = (texts[0], rest.ToArray(), metadata, context, enqueuedAt);
        return true;
    }

    private static int TextSize(string? text)
    {
        var bytes = text is null ? 0 : Encoding.UTF8.GetByteCount(text);
        return VarintSize(bytes) + bytes;
    }

    private static void WriteText(ref Span<byte> rest, string? text)
    {
        var bytes = text is null ? 0 : Encoding.UTF8.GetByteCount(text);
        WriteVarint(ref rest, bytes);
        if (text is not null)
        {
            Encoding.UTF8.GetBytes(text, rest);
        }

        rest = rest[bytes..];
    }

    private static bool TryReadText(ref ReadOnlySpan<byte> rest, out string? text)
    {
        text = null;
        if (!TryReadVarint(ref rest, out var length) || length > rest.Length)
        {
            return false;
        }

        text = length == 0 ? null : Encoding.UTF8.GetString(rest[..length]);
        rest = rest[length..];
        return true;
    }

    private static int VarintSize(int value)
    {
        var size = 1;
        for (var rest = (uint)value >> 7; rest != 0; rest >>= 7)
        {
            size++;
        }

        return size;
    }

    private static void WriteVarint(ref Span<byte> rest, int value)
    {
        var remaining = (uint)value;
        var i = 0;
        for (; remaining >= 0x80; remaining >>= 7)
        {
            rest[i++] = (byte)(remaining | 0x80);
        }

        rest[i++] = (byte)remaining;
        rest = rest[i..];
    }

    private static bool TryReadVarint(ref ReadOnlySpan<byte> rest, out int value)
    {
        value = 0;
        for (var i = 0; i < 5 && i < rest.Length; i++)
        {
            value |= (rest[i] & 0x7F) << (7 * i);
            if (rest[i] < 0x80)
            {
                rest = rest[(i + 1)..];
                return value >= 0;
            }
        }

        return false;
    }
}
