namespace Prism.Backends;

/// <summary>Data patterns and the capabilities drivers declare.</summary>
public static class Patterns
{
    /// <summary>Key-value pattern.</summary>
    public const string KeyValue = "keyvalue";

    /// <summary>Publish/subscribe pattern.</summary>
    public const string PubSub = "pubsub";
}

/// <summary>Capabilities a backend driver can declare; a namespace call needing one the backend lacks is UNIMPLEMENTED.</summary>
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
}
