using System.Globalization;
using System.Text;
using NATS.Client.Core;
using Prism.Backends.PubSub;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// How a message's id, timestamp, context and metadata travel as NATS headers; the payload is the
/// raw message body. Context and metadata values are percent-encoded (headers are ASCII); a
/// metadata key becomes <see cref="MetadataPrefix"/> plus the key with every byte but
/// <c>a-z 0-9 - _ .</c> percent-encoded, so keys that differ only in case (NATS header names do
/// not) and keys named like a context header stay apart. Reading never fails: a message from a
/// publisher outside Prism, with no or other headers, gets empty context and metadata.
/// </summary>
internal static class NatsMessageHeaders
{
    /// <summary>The message id; JetStream also deduplicates on it.</summary>
    public const string MessageId = "Nats-Msg-Id";

    /// <summary>Publish time, milliseconds since the Unix epoch.</summary>
    public const string PublishedAt = "prism-published-at";

    /// <summary>The publisher's token subject.</summary>
    public const string PublisherSubject = "prism-publisher-subject";

    /// <summary>The publisher's token client id.</summary>
    public const string PublisherClientId = "prism-publisher-client-id";

    /// <summary>The publisher's session id.</summary>
    public const string Session = "prism-session";

    /// <summary>The namespace it was published in.</summary>
    public const string Namespace = "prism-namespace";

    /// <summary>W3C trace context, under its standard names so other NATS tooling can follow it.</summary>
    public const string TraceParent = "traceparent";

    /// <inheritdoc cref="TraceParent" />
    public const string TraceState = "tracestate";

    /// <summary>Prefix of metadata keys.</summary>
    public const string MetadataPrefix = "prism-md-";

    /// <summary>
    /// The headers of a message Prism publishes. Without <paramref name="messageId"/> there is no
    /// <see cref="MessageId"/>: JetStream remembers every id for its duplicate window, which is work
    /// and memory for nothing when no publish will ever repeat it.
    /// </summary>
    public static NatsHeaders Write(string? messageId, long publishedAt, IReadOnlyDictionary<string, string>? metadata, MessageContext? context)
    {
        var headers = new NatsHeaders { [PublishedAt] = publishedAt.ToString(CultureInfo.InvariantCulture) };
        if (messageId is not null)
        {
            headers[MessageId] = messageId;
        }

        if (context is not null)
        {
            Add(headers, PublisherSubject, context.PublisherSubject);
            Add(headers, PublisherClientId, context.PublisherClientId);
            Add(headers, Session, context.SessionId);
            Add(headers, Namespace, context.Namespace);
            AddTraceContext(headers, TraceParent, context.TraceParent);
            AddTraceContext(headers, TraceState, context.TraceState);
        }

        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            headers[MetadataPrefix + EncodeKey(key)] = Uri.EscapeDataString(value);
        }

        return headers;
    }

    /// <summary>
    /// The message a subscriber gets. <paramref name="receivedAt"/> is the timestamp when the message
    /// carries none (the JetStream time for durable subscribers, the arrival time otherwise).
    /// </summary>
    public static PubSubMessage Read(string topic, byte[]? payload, NatsHeaders? headers, long receivedAt)
    {
        var body = payload ?? [];
        if (headers is null || headers.Error is not null)
        {
            return new PubSubMessage(topic, body, new Dictionary<string, string>(), "", receivedAt);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            if (name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase) && values.Count > 0)
            {
                metadata[DecodeKey(name[MetadataPrefix.Length..])] = Uri.UnescapeDataString(values[0] ?? "");
            }
        }

        var context = new MessageContext(Get(headers, PublisherSubject), Get(headers, PublisherClientId), Get(headers, Session),
            Get(headers, Namespace), Get(headers, TraceParent, escaped: false), Get(headers, TraceState, escaped: false)).Normalised();
        var timestamp = long.TryParse(Get(headers, PublishedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var at) ? at : receivedAt;
        return new PubSubMessage(topic, body, metadata, Get(headers, MessageId) ?? "", timestamp, context);
    }

    private static void Add(NatsHeaders headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers[name] = Uri.EscapeDataString(value);
        }
    }

    /// <summary>W3C headers are written as they are, so other tooling reads them; a value that is not printable ASCII is dropped.</summary>
    private static void AddTraceContext(NatsHeaders headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value) && value.All(c => c is >= ' ' and <= '~'))
        {
            headers[name] = value;
        }
    }

    private static string? Get(NatsHeaders headers, string name, bool escaped = true) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 && values[0] is { } value
            ? escaped ? Uri.UnescapeDataString(value) : value
            : null;

    private static string EncodeKey(string key)
    {
        var encoded = new StringBuilder(key.Length);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static string DecodeKey(string name)
    {
        var bytes = new List<byte>(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '%' && i + 2 < name.Length && byte.TryParse(name.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(name[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
