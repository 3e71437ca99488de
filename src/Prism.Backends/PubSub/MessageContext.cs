namespace Prism.Backends.PubSub;

/// <summary>
/// Who sent a message and from which trace, carried beside the payload in the backend's own
/// header mechanism (NATS headers, PostgreSQL columns). Never holds a secret: identities and the
/// session id, no tokens. A message put on a topic by a publisher outside Prism has
/// <see cref="Empty"/> (or only the trace context it carried).
/// </summary>
/// <param name="PublisherSubject">The publisher's token subject (<c>sub</c>).</param>
/// <param name="PublisherClientId">The publisher's token client id.</param>
/// <param name="SessionId">The publisher's proxy session.</param>
/// <param name="Namespace">The namespace it was published in.</param>
/// <param name="TraceParent">W3C <c>traceparent</c> of the publish call.</param>
/// <param name="TraceState">W3C <c>tracestate</c> of the publish call.</param>
public sealed record MessageContext(
    string? PublisherSubject = null,
    string? PublisherClientId = null,
    string? SessionId = null,
    string? Namespace = null,
    string? TraceParent = null,
    string? TraceState = null)
{
    /// <summary>No context: a foreign message, or one published before context existed.</summary>
    public static MessageContext Empty { get; } = new();

    /// <summary>True when no field is set.</summary>
    public bool IsEmpty => this == Empty;

    /// <summary>The same context with empty strings turned into nulls, so every driver stores "absent" one way.</summary>
    public MessageContext Normalised() => new(
        NullIfEmpty(PublisherSubject), NullIfEmpty(PublisherClientId), NullIfEmpty(SessionId),
        NullIfEmpty(Namespace), NullIfEmpty(TraceParent), NullIfEmpty(TraceState));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
