namespace Prism.Backends.PubSub;

/// <summary>
/// Binary form of a message for backends that carry one opaque body (NATS): a version byte,
/// id, timestamp, metadata pairs and the payload. Strings are length-prefixed UTF-8.
/// </summary>
public static class MessageEnvelope
{
    private const byte Version = 1;

    /// <summary>Encodes a message body.</summary>
    public static byte[] Encode(string messageId, long timestamp, IReadOnlyDictionary<string, string>? metadata, ReadOnlySpan<byte> payload)
    {
        using var buffer = new MemoryStream(payload.Length + 64);
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(messageId);
            writer.Write(timestamp);
            writer.Write7BitEncodedInt(metadata?.Count ?? 0);
            foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            {
                writer.Write(key);
                writer.Write(value);
            }

            writer.Write7BitEncodedInt(payload.Length);
            writer.Write(payload);
        }

        return buffer.ToArray();
    }

    /// <summary>Decodes a body written by <see cref="Encode"/>.</summary>
    /// <exception cref="InvalidDataException">The body is not an envelope of a known version.</exception>
    public static PubSubMessage Decode(string topic, byte[] body)
    {
        using var reader = new BinaryReader(new MemoryStream(body, writable: false), System.Text.Encoding.UTF8);
        try
        {
            if (reader.ReadByte() != Version)
            {
                throw new InvalidDataException("unknown message envelope version");
            }

            var id = reader.ReadString();
            var timestamp = reader.ReadInt64();
            var count = reader.Read7BitEncodedInt();
            var metadata = new Dictionary<string, string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                metadata[reader.ReadString()] = reader.ReadString();
            }

            var payload = reader.ReadBytes(reader.Read7BitEncodedInt());
            return new PubSubMessage(topic, payload, metadata, id, timestamp);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("truncated message envelope", e);
        }
    }
}
