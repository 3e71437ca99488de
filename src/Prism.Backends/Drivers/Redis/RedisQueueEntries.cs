using System.Globalization;
using System.Text.Json;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using StackExchange.Redis;

namespace Prism.Backends.Drivers.Redis;

/// <summary>
/// Keys and stream fields of the Redis queue driver. Every key of a queue starts with the namespace's
/// key-value prefix (<see cref="RedisKeyValueStore.KeyOf"/>), then <c>queue:{length:queue}:</c>, so a
/// Redis ACL on <c>~prism:{len}:{ns}:*</c> covers the namespace's queues too and the length keeps queues
/// apart. The braces are a Redis Cluster hash tag: namespace names have none (DNS labels) and the tag starts
/// with the length digits, so it is never empty and every key of one queue hashes to the same slot, as the
/// transactions over stream, dead letters, delays and idempotency keys need. A message is one stream entry with one
/// field, <see cref="Packed"/> (<see cref="RedisPackedEntry"/>); entries written before 2026-12-08 have a field per
/// value (id, payload, metadata as JSON, enqueue time, one per context value set) and are read as they are.
/// </summary>
internal static class RedisQueueEntries
{
    /// <summary>The field of an entry's packed message.</summary>
    public const string Packed = "m";

    public const string Id = "id";
    public const string Payload = "payload";
    public const string Metadata = "metadata";
    public const string EnqueuedAt = "enqueued_at";
    public const string Group = "group";
    public const string Attempts = "attempts";
    public const string Error = "error";
    public const string DeadAt = "dead_at";

    private static readonly string[] ContextFields =
        ["publisher_subject", "publisher_client_id", "session_id", "context_namespace", "traceparent", "tracestate"];

    /// <summary>The stream of the queue's messages; each consumer group is a Redis consumer group on it.</summary>
    public static RedisKey Messages(string @namespace, string queue) => Key(@namespace, queue, "messages");

    /// <summary>The stream of the queue's dead letters.</summary>
    public static RedisKey DeadLetters(string @namespace, string queue) => Key(@namespace, queue, "dead");

    /// <summary>
    /// Entry id → earliest redelivery (ms) of messages <paramref name="group"/> rejected with a delay longer than
    /// the visibility timeout; one hash per group, as each group settles a message on its own.
    /// </summary>
    public static RedisKey Delays(string @namespace, string queue, string group) => Key(@namespace, queue, "delays:" + group);

    /// <summary>The message id an idempotency key was given, kept for the dedup window.</summary>
    public static RedisKey IdempotencyKey(string @namespace, string queue, string key) => Key(@namespace, queue, "key:" + key);

    /// <summary>The fields of a new entry: its message, packed.</summary>
    public static NameValueEntry[] Write(string id, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata, MessageContext? context,
        long enqueuedAt) =>
        [new(Packed, RedisPackedEntry.Pack(id, payload.Span, metadata, context ?? MessageContext.Empty, enqueuedAt))];

    /// <summary>The entry's fields by name.</summary>
    public static Dictionary<string, RedisValue> Read(StreamEntry entry) =>
        entry.Values.ToDictionary(v => (string)v.Name!, v => v.Value, StringComparer.Ordinal);

    /// <summary>The message an entry holds; an entry Prism did not write still gives one (empty metadata and context).</summary>
    public static QueueMessage Message(string queue, Dictionary<string, RedisValue> fields, string fallbackId, int attempt)
    {
        var (id, payload, metadata, context, enqueuedAt) = Content(fields, fallbackId);
        return new QueueMessage(queue, id, payload, metadata, context, enqueuedAt, attempt);
    }

    /// <summary>The dead letter a dead-letter entry holds.</summary>
    public static DeadLetter DeadLetter(string queue, StreamEntry entry)
    {
        var fields = Read(entry);
        var (id, payload, metadata, context, enqueuedAt) = Content(fields, "");
        return new DeadLetter(entry.Id!, queue, Text(fields, Group) ?? "", id, payload, metadata, context, enqueuedAt,
            (int)Number(fields, Attempts), Text(fields, Error) ?? "", Number(fields, DeadAt));
    }

    /// <summary>The fields of a dead letter: the message's own, then group, attempts, error and time.</summary>
    public static NameValueEntry[] DeadLetterFields(Dictionary<string, RedisValue> message, string group, int attempts, string error, long deadAt) =>
    [
        .. message.Where(f => f.Key is not (Group or Attempts or Error or DeadAt)).Select(f => new NameValueEntry(f.Key, f.Value)),
        new(Group, group), new(Attempts, attempts), new(Error, error), new(DeadAt, deadAt),
    ];

    /// <summary>Whether <paramref name="id"/> looks like a stream entry id (<c>ms-seq</c>).</summary>
    public static bool IsEntryId(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private static (string Id, byte[] Payload, IReadOnlyDictionary<string, string> Metadata, MessageContext Context, long EnqueuedAt) Content(
        Dictionary<string, RedisValue> fields, string fallbackId)
    {
        if (fields.TryGetValue(Packed, out var packed) && !packed.IsNull && RedisPackedEntry.TryUnpack((byte[])packed!, out var message))
        {
            return (message.Id ?? fallbackId, message.Payload, message.Metadata, message.Context, message.EnqueuedAt);
        }

        // Written before messages were packed, or not by Prism.
        Dictionary<string, string>? metadata = null;
        try
        {
            metadata = Text(fields, Metadata) is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null;
        }
        catch (JsonException)
        {
            // Not written by Prism: delivered without metadata.
        }

        var context = new MessageContext(Text(fields, ContextFields[0]), Text(fields, ContextFields[1]), Text(fields, ContextFields[2]),
            Text(fields, ContextFields[3]), Text(fields, ContextFields[4]), Text(fields, ContextFields[5])).Normalised();
        var payload = fields.TryGetValue(Payload, out var bytes) && !bytes.IsNull ? (byte[])bytes! : [];
        return (Text(fields, Id) ?? fallbackId, payload, metadata ?? [], context, Number(fields, EnqueuedAt));
    }

    private static string? Text(Dictionary<string, RedisValue> fields, string name) =>
        fields.TryGetValue(name, out var value) && !value.IsNull ? (string?)value : null;

    private static long Number(Dictionary<string, RedisValue> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.TryParse(out long number) ? number : 0;

    private static RedisKey Key(string @namespace, string queue, string part) =>
        RedisKeyValueStore.KeyOf(@namespace, string.Create(CultureInfo.InvariantCulture, $"queue:{{{queue.Length}:{queue}}}:{part}"));
}
