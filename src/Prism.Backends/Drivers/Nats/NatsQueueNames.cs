using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// Names of the NATS queue driver. A queue is the subject <c>prism.q.n{ns}.q{queue}</c> of stream
/// <see cref="MessagesStream"/>, its dead letters the subject <c>prism.qd.n{ns}.q{queue}</c> of stream
/// <see cref="DeadLettersStream"/> (both parts base64url-encoded, as for topics); a group is a durable pull
/// consumer named after (namespace, queue, group).
/// </summary>
internal static class NatsQueueNames
{
    /// <summary>The stream holding every queue's messages.</summary>
    public const string MessagesStream = "prism-queues";

    /// <summary>The stream holding every queue's dead letters.</summary>
    public const string DeadLettersStream = "prism-queues-dead";

    public const string AllQueues = "prism.q.>";

    public const string AllDeadLetters = "prism.qd.>";

    public static string Subject(string @namespace, string queue) => $"prism.q.n{Encode(@namespace)}.q{Encode(queue)}";

    public static string DeadSubject(string @namespace, string queue) => $"prism.qd.n{Encode(@namespace)}.q{Encode(queue)}";

    /// <summary>The durable consumer of a group.</summary>
    public static string Consumer(string @namespace, string queue, string group) => NatsSubjects.Consumer(@namespace, queue, group);

    /// <summary>The <c>Nats-Msg-Id</c> an idempotency key is deduplicated under: unique per (namespace, queue, key).</summary>
    public static string IdempotencyId(string @namespace, string queue, string key)
    {
        var identity = Encoding.UTF8.GetBytes($"{@namespace.Length}:{@namespace}{queue.Length}:{queue}{key}");
        return "key-" + Convert.ToHexStringLower(SHA256.HashData(identity));
    }

    private static string Encode(string value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value));
}
