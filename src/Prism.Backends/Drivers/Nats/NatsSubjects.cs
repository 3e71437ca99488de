using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// Names on the NATS server. A topic is published on <c>prism.ps.n{ns}.t{topic}</c> with both
/// parts base64url-encoded, so dots, wildcards and spaces in names cannot reach another subject
/// or namespace. Every subject is captured by one JetStream stream for durable subscribers.
/// </summary>
public static class NatsSubjects
{
    /// <summary>The JetStream stream holding published messages.</summary>
    public const string Stream = "prism-pubsub";

    /// <summary>Subjects the stream captures.</summary>
    public const string All = "prism.ps.>";

    /// <summary>The subject of <paramref name="topic"/> in <paramref name="namespace"/>.</summary>
    public static string Of(string @namespace, string topic) => $"prism.ps.n{Encode(@namespace)}.t{Encode(topic)}";

    /// <summary>
    /// The durable consumer of a subscriber: its id made safe plus a hash of (namespace, topic,
    /// subscriber), so the same subscriber id on two topics gets two consumers.
    /// </summary>
    public static string Consumer(string @namespace, string topic, string subscriberId)
    {
        var safe = new string([.. subscriberId.Take(32).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        var identity = Encoding.UTF8.GetBytes($"{@namespace.Length}:{@namespace}{topic.Length}:{topic}{subscriberId}");
        return $"{safe}-{Convert.ToHexStringLower(SHA256.HashData(identity), 0, 12)}";
    }

    private static string Encode(string value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value));
}
