using Google.Protobuf;
using Grpc.Core;
using Prism.Interfaces.PubSub;
using Prism.Proxy.Operations;

namespace Prism.Proxy.Grpc;

/// <summary><c>prism.interfaces.pubsub.PubSubBasicInterface</c>: translation only.</summary>
internal sealed class PubSubService(PubSubOperations operations) : PubSubBasicInterface.PubSubBasicInterfaceBase
{
    /// <inheritdoc />
    public override async Task<PublishResponse> Publish(PublishRequest request, ServerCallContext context) =>
        new()
        {
            Success = true,
            MessageId = await operations.PublishAsync(context.Caller(), request.Topic, request.Payload.Memory,
                request.Metadata.ToDictionary(), context.CancellationToken),
        };

    /// <summary>Streams messages; response headers are sent once the subscription is live.</summary>
    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<Message> responseStream, ServerCallContext context)
    {
        await using var subscription = await operations.SubscribeAsync(context.Caller(), request.Topic, request.SubscriberId,
            request.Options.ToDictionary(), context.CancellationToken);
        await context.WriteResponseHeadersAsync([]);
        await subscription.DeliverAllAsync(async (message, cancellation) =>
        {
            var wire = new Message
            {
                Topic = message.Topic,
                Payload = message.Payload.IsEmpty ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(message.Payload),
                MessageId = message.MessageId,
                Timestamp = message.Timestamp,
            };
            foreach (var (key, value) in message.Metadata)
            {
                wire.Metadata[key] = value;
            }

            await responseStream.WriteAsync(wire, cancellation);
        }, context.CancellationToken);
    }

    /// <inheritdoc />
    public override async Task<UnsubscribeResponse> Unsubscribe(UnsubscribeRequest request, ServerCallContext context)
    {
        await operations.UnsubscribeAsync(context.Caller(), request.Topic, request.SubscriberId, context.CancellationToken);
        return new UnsubscribeResponse { Success = true };
    }
}
