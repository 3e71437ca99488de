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
    /// Messages published on <paramref name="topic"/> from now on, until <paramref name="cancellation"/>
    /// (or the proxy ends the stream with a status, thrown as <see cref="RpcException"/>).
    /// </summary>
    public async IAsyncEnumerable<Message> SubscribeAsync(string topic, string? subscriberId = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var (options, span) = await _connection.StreamAsync(Service, "Subscribe", _namespace, cancellation);
        using (span)
        {
            using var call = _client.Subscribe(new SubscribeRequest { Topic = topic, SubscriberId = subscriberId ?? "" }, options);
            while (await Next(call.ResponseStream, span, cancellation))
            {
                yield return call.ResponseStream.Current;
            }
        }
    }

    private static async Task<bool> Next(IAsyncStreamReader<Message> stream, System.Diagnostics.Activity? span, CancellationToken cancellation)
    {
        try
        {
            return await stream.MoveNext(cancellation);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.StatusCode.ToString());
            throw;
        }
    }
}
