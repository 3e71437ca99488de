namespace Prism.Backends;

/// <summary>
/// Data patterns a namespace can offer and the slots each fills with a backend instance
/// (after upstream Prism's pattern slots). Adding a pattern is one entry in <see cref="All"/>.
/// </summary>
public static class Patterns
{
    /// <summary>Key-value pattern.</summary>
    public const string KeyValue = "keyvalue";

    /// <summary>Publish/subscribe pattern.</summary>
    public const string PubSub = "pubsub";

    /// <summary>
    /// Queue pattern: enqueue, consume in groups with ack/nack, dead letters (upstream Prism's consumer
    /// pattern, named after what a namespace offers rather than after one side of it). Its primary slot
    /// <c>message_source</c> holds the queues and serves the calls. The engines keep group positions and
    /// dead letters natively, next to the queue, so <c>state_store</c> (checkpoints, for sources without
    /// native groups) and <c>dead_letter_queue</c> (dead letters kept on another instance) can be bound but
    /// are not used by the built-in drivers yet.
    /// </summary>
    public const string Queue = "queue";

    /// <summary>Every pattern, in the order listings show them.</summary>
    public static IReadOnlyList<PatternDefinition> All { get; } =
    [
        new(KeyValue, [new SlotDefinition("store", Capabilities.KeyValueBasic)]),
        new(PubSub, [new SlotDefinition("source", Capabilities.PubSubBasic)]),
        new(Queue,
        [
            new SlotDefinition("message_source", Capabilities.QueueBasic),
            new SlotDefinition("state_store", Capabilities.KeyValueBasic),
            new SlotDefinition("dead_letter_queue", Capabilities.QueueDeadLetter),
        ]),
    ];

    /// <summary>The pattern called <paramref name="name"/>, or null.</summary>
    public static PatternDefinition? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}

/// <summary>A data pattern and its slots; the first slot is the primary one, which serves the pattern's calls.</summary>
public sealed record PatternDefinition(string Name, IReadOnlyList<SlotDefinition> Slots)
{
    /// <summary>The slot that serves the pattern's calls (keyvalue: store, pubsub: source).</summary>
    public SlotDefinition Primary => Slots[0];

    /// <summary>The slot called <paramref name="name"/>, or null.</summary>
    public SlotDefinition? Slot(string name) => Slots.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}

/// <summary>A place in a pattern that a backend instance fills.</summary>
/// <param name="Name">Slot name, for example <c>store</c>.</param>
/// <param name="RequiredCapability">What the bound instance must offer.</param>
public sealed record SlotDefinition(string Name, string RequiredCapability);

/// <summary>Capabilities a backend type can declare; a namespace call needing one the backend lacks is UNIMPLEMENTED.</summary>
public static class Capabilities
{
    /// <summary>Set, Get, Delete, Exists.</summary>
    public const string KeyValueBasic = "keyvalue.basic";

    /// <summary>Expire, GetTTL, Persist.</summary>
    public const string KeyValueTtl = "keyvalue.ttl";

    /// <summary>BatchSet, BatchGet, BatchDelete.</summary>
    public const string KeyValueBatch = "keyvalue.batch";

    /// <summary>Publish, Subscribe, Unsubscribe.</summary>
    public const string PubSubBasic = "pubsub.basic";

    /// <summary>Messages survive a subscriber's absence (JetStream).</summary>
    public const string PubSubDurable = "pubsub.durable";

    /// <summary>Enqueue with idempotency key; consume in groups with ack, nack, visibility timeout, retries, in-flight limit.</summary>
    public const string QueueBasic = "queue.basic";

    /// <summary>Dead letters after the last retry: list, inspect, replay, purge.</summary>
    public const string QueueDeadLetter = "queue.dead_letter";

    /// <summary>
    /// Queued messages live in the backend, not in the Prism process, so they survive a restart or crash
    /// of the proxy (surviving a restart of the backend depends on its persistence, e.g. Redis AOF).
    /// </summary>
    public const string QueueDurable = "queue.durable";
}
