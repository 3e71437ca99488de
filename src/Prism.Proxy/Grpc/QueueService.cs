using Grpc.Core;
using Prism.Interfaces.Queue;
using Prism.Proxy.Operations;

namespace Prism.Proxy.Grpc;

/// <summary><c>prism.interfaces.queue.QueueBasicInterface</c>: translation only.</summary>
internal sealed class QueueService(QueueOperations operations) : QueueBasicInterface.QueueBasicInterfaceBase
{
    /// <inheritdoc />
    public override async Task<QueuePublishResponse> Publish(QueuePublishRequest request, ServerCallContext context) =>
        new() { MessageId = await operations.PublishAsync(context.Caller(), ToPublish(request), context.CancellationToken) };

    /// <inheritdoc />
    public override async Task<QueuePublishBatchResponse> PublishBatch(QueuePublishBatchRequest request, ServerCallContext context)
    {
        var results = await operations.PublishBatchAsync(context.Caller(), request.Messages.Select(ToPublish).ToList(), context.CancellationToken);
        return ToResponse(results);
    }

    /// <inheritdoc />
    public override Task PublishStream(IAsyncStreamReader<QueuePublishBatchRequest> requestStream, IServerStreamWriter<QueuePublishBatchResponse> responseStream,
        ServerCallContext context) =>
        operations.PublishStreamAsync(context.Caller(),
            async cancellation => await requestStream.MoveNext(cancellation) ? [.. requestStream.Current.Messages.Select(ToPublish)] : null,
            (results, cancellation) => responseStream.WriteAsync(ToResponse(results), cancellation),
            context.CancellationToken);

    private static QueuePublishBatchResponse ToResponse(IReadOnlyList<PublishOutcome> results)
    {
        var response = new QueuePublishBatchResponse();
        response.Results.AddRange(results.Select(r => r.Error is null
            ? new QueuePublishResult { MessageId = r.MessageId }
            : new QueuePublishResult { Error = r.Error, Code = (int)StatusCode.InvalidArgument }));
        return response;
    }

    /// <inheritdoc />
    public override Task Consume(IAsyncStreamReader<ConsumeRequest> requestStream, IServerStreamWriter<ConsumeResponse> responseStream,
        ServerCallContext context)
    {
        var batched = false;
        return operations.ConsumeAsync(context.Caller(),
            async cancellation => await requestStream.MoveNext(cancellation) ? ToRequest(requestStream.Current) : null,
            async (events, cancellation) =>
            {
                if (batched)
                {
                    await responseStream.WriteAsync(ToBatch(events), cancellation);
                    return;
                }

                foreach (var @event in events)
                {
                    batched |= @event is MemberEvent.Joined { Batched: true };
                    await responseStream.WriteAsync(ToResponse(@event), cancellation);
                }
            },
            context.CancellationToken);
    }

    private static QueuePublish ToPublish(QueuePublishRequest request) => new(request.Queue, request.Payload.Memory,
        request.Metadata.Count == 0 ? null : request.Metadata.ToDictionary(), NullIfEmpty(request.IdempotencyKey), NullIfEmpty(request.Traceparent),
        NullIfEmpty(request.Tracestate));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static MemberRequest ToRequest(ConsumeRequest request) => request.ActionCase switch
    {
        ConsumeRequest.ActionOneofCase.Join => new MemberRequest.Join(new QueueJoin(request.Join.Queue, request.Join.Group, request.Join.ConsumerId,
            request.Join.MaxInFlight, request.Join.VisibilityTimeoutMs, request.Join.HasMaxRetries ? request.Join.MaxRetries : null, request.Join.Batched)),
        ConsumeRequest.ActionOneofCase.Ack => ToRequest(request.Ack),
        ConsumeRequest.ActionOneofCase.Nack => ToRequest(request.Nack),
        ConsumeRequest.ActionOneofCase.Settle => new MemberRequest.Many([.. request.Settle.Acks.Select(ToRequest), .. request.Settle.Nacks.Select(ToRequest)]),
        _ => new MemberRequest.Empty(),
    };

    private static MemberRequest ToRequest(Ack ack) => new MemberRequest.Ack(ack.MessageId);

    private static MemberRequest ToRequest(Nack nack) => new MemberRequest.Nack(nack.MessageId, nack.DelayMs, nack.Error);

    /// <summary>Events for a member that joined batched: the messages and the settlements, each in order, in one response.</summary>
    private static ConsumeResponse ToBatch(IReadOnlyList<MemberEvent> events)
    {
        var batch = new ConsumeBatch();
        foreach (var @event in events)
        {
            switch (@event)
            {
                case MemberEvent.Delivered { Message: var message }:
                    batch.Messages.Add(ToWire(message));
                    break;
                case MemberEvent.Settled settled:
                    batch.Settled.Add(ToWire(settled));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(events), @event, "only messages and settlements are batched");
            }
        }

        return new ConsumeResponse { Batch = batch };
    }

    private static ConsumeResponse ToResponse(MemberEvent @event) => @event switch
    {
        MemberEvent.Joined joined => new ConsumeResponse
        {
            Joined = new Joined
            {
                Queue = joined.Queue,
                Group = joined.Group,
                ConsumerId = joined.ConsumerId,
                MaxInFlight = joined.Options.MaxInFlight,
                VisibilityTimeoutMs = (long)joined.Options.VisibilityTimeout.TotalMilliseconds,
                MaxRetries = joined.Options.MaxRetries,
            },
        },
        MemberEvent.Delivered { Message: var message } => new ConsumeResponse { Message = ToWire(message) },
        MemberEvent.Settled settled => new ConsumeResponse { Settled = ToWire(settled) },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown member event"),
    };

    private static Settled ToWire(MemberEvent.Settled settled) => new() { MessageId = settled.MessageId, Ok = settled.Ok };

    private static QueueMessage ToWire(Backends.Queue.QueueMessage message)
    {
        var wire = new QueueMessage
        {
            Queue = message.Queue,
            MessageId = message.MessageId,
            Payload = message.Payload.ToByteString(),
            Attempt = message.Attempt,
            Timestamp = message.EnqueuedAt,
        };
        foreach (var (key, value) in message.Metadata)
        {
            wire.Metadata[key] = value;
        }

        return wire;
    }
}
