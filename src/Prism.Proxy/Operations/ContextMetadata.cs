using Prism.Backends.PubSub;

namespace Prism.Proxy.Operations;

/// <summary>
/// How a message's context reaches a subscriber on the unchanged upstream wire: as reserved keys of
/// the <c>metadata</c> map. Every key starting with <c>prism-</c>, and <c>traceparent</c> and
/// <c>tracestate</c> (any case), is reserved: removed from what a client publishes and, on delivery,
/// set only from the message's context, so a publisher cannot pose as someone else.
/// </summary>
internal static class ContextMetadata
{
    /// <summary>Prefix of reserved keys.</summary>
    public const string ReservedPrefix = "prism-";

    /// <summary>The publisher's token subject.</summary>
    public const string Publisher = "prism-publisher";

    /// <summary>The publisher's token client id.</summary>
    public const string PublisherClientId = "prism-publisher-client-id";

    /// <summary>The publisher's session id.</summary>
    public const string Session = "prism-session";

    /// <summary>The namespace it was published in.</summary>
    public const string Namespace = "prism-namespace";

    /// <summary>W3C trace context of the publish call.</summary>
    public const string TraceParent = "traceparent";

    /// <inheritdoc cref="TraceParent" />
    public const string TraceState = "tracestate";

    /// <summary>True for a key only the proxy may set.</summary>
    public static bool IsReserved(string key) =>
        key.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase)
        || key.Equals(TraceParent, StringComparison.OrdinalIgnoreCase)
        || key.Equals(TraceState, StringComparison.OrdinalIgnoreCase);

    /// <summary>A publisher's metadata without reserved keys (null stays null).</summary>
    public static IReadOnlyDictionary<string, string>? WithoutReserved(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null || !metadata.Keys.Any(IsReserved)
            ? metadata
            : metadata.Where(p => !IsReserved(p.Key)).ToDictionary(StringComparer.Ordinal);

    /// <summary>What a subscriber sees: the metadata without reserved keys, plus the context's.</summary>
    public static IReadOnlyDictionary<string, string> ForSubscriber(IReadOnlyDictionary<string, string> metadata, MessageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.IsEmpty && !metadata.Keys.Any(IsReserved))
        {
            return metadata;
        }

        var delivered = metadata.Where(p => !IsReserved(p.Key)).ToDictionary(StringComparer.Ordinal);
        Set(delivered, Publisher, context.PublisherSubject);
        Set(delivered, PublisherClientId, context.PublisherClientId);
        Set(delivered, Session, context.SessionId);
        Set(delivered, Namespace, context.Namespace);
        Set(delivered, TraceParent, context.TraceParent);
        Set(delivered, TraceState, context.TraceState);
        return delivered;
    }

    private static void Set(Dictionary<string, string> metadata, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            metadata[key] = value;
        }
    }
}
