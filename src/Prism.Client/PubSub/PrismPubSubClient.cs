using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Prism.Interfaces.PubSub;

namespace Prism.Client;

/// <summary>
/// Topics of a namespace (<c>PubSubBasicInterface</c>). A publish answered UNAVAILABLE is retried,
/// so a subscriber may rarely see a message twice (pub/sub has no idempotency key); a subscription
/// is not reopened by the client.
/// </summary>
public sealed class PrismPubSubClient
{
    private const string Service = "prism.interfaces.pubsub.PubSubBasicInterface";
    private readonly PrismConnection _connection;
    private readonly string? _namespace;
    private readonly PubSubBasicInterface.PubSubBasicInterfaceClient _client;

    /// <summary>A client of <paramref name="namespace"/> (default: the connection's).</summary>
    public PrismPubSubClient(PrismConnection connection, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _namespace = @namespace;
        _client = new(connection.Channel);
    }

    /// <summary>Publishes <paramref name="payload"/> on <paramref name="topic"/> and returns its message id.</summary>
    public async Task<string> PublishAsync(string topic, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellation = default)
    {
        var request = new PublishRequest { Topic = topic, Payload = ByteString.CopyFrom(payload.Span) };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                request.Metadata[key] = value;
            }
        }

        var response = await _connection.UnaryAsync(Service, "Publish", _namespace, o => _client.PublishAsync(request, o), cancellation);
        if (!string.IsNullOrEmpty(response.Error))
        {
            throw new PrismClientException($"Publish on topic '{topic}' failed: {response.Error}");
        }

        return response.MessageId;
    }

    /// <summary>
    /// Subscribes to <paramref name="topic"/>; when this returns the subscription is live, so
    /// everything published from then on is delivered. Dispose the subscription to end it.
    /// </summary>
    public async Task<PubSubSubscription> SubscribeAsync(string topic, string? subscriberId = null, CancellationToken cancellation = default)
    {
        var (options, span) = await _connection.StreamAsync(Service, "Subscribe", _namespace, cancellation);
        var call = _client.Subscribe(new SubscribeRequest { Topic = topic, SubscriberId = subscriberId ?? "" }, options);
        try
        {
            // The proxy sends the response headers once the backend subscription exists.
            await call.ResponseHeadersAsync;
            return new PubSubSubscription(call, span);
        }
        catch (RpcException e)
        {
            call.Dispose();
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.StatusCode.ToString());
            span?.Dispose();
            throw;
        }
    }
}

/// <summary>A live subscription: read its messages with <see cref="ReadAllAsync"/>, dispose it to unsubscribe.</summary>
public sealed class PubSubSubscription : IDisposable
{
    private readonly AsyncServerStreamingCall<Message> _call;
    private readonly System.Diagnostics.Activity? _span;

    internal PubSubSubscription(AsyncServerStreamingCall<Message> call, System.Diagnostics.Activity? span)
    {
        _call = call;
        _span = span;
    }

    /// <summary>
    /// Messages as they arrive, until <paramref name="cancellation"/> or the proxy ends the stream
    /// (with a status, thrown as <see cref="RpcException"/>).
    /// </summary>
    public async IAsyncEnumerable<Message> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation = default)
    {
        while (await NextAsync(cancellation))
        {
            yield return _call.ResponseStream.Current;
        }
    }

    private async Task<bool> NextAsync(CancellationToken cancellation)
    {
        try
        {
            return await _call.ResponseStream.MoveNext(cancellation);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            _span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.StatusCode.ToString());
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _call.Dispose();
        _span?.Dispose();
    }
}
