using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Prism.Admin.Paging;
using Prism.Admin.V1;
using QueueDeadLetter = Prism.Backends.Queue.DeadLetter;

namespace Prism.Admin.Grpc;

internal sealed partial class AdminGrpcService
{
    public override async Task<ListDeadLettersResponse> ListDeadLetters(ListDeadLettersRequest request, ServerCallContext context)
    {
        // The token is bound to the queue it pages through, so it cannot be replayed against another.
        var list = $"dead_letters:{request.Namespace}:{request.Queue}";
        var (items, lastKey) = await deadLetters.ListAsync(context.Caller(), request.Namespace, request.Queue,
            PageCursor.Size(request.PageSize), cursor.Decode(list, request.PageToken), context.CancellationToken);
        var response = new ListDeadLettersResponse { NextPageToken = cursor.Encode(list, lastKey) };
        response.DeadLetters.AddRange(items.Select(ToWire));
        return response;
    }

    public override async Task<GetDeadLetterResponse> GetDeadLetter(GetDeadLetterRequest request, ServerCallContext context) =>
        new() { DeadLetter = ToWire(await deadLetters.GetAsync(context.Caller(), request.Namespace, request.Queue, request.Id, context.CancellationToken)) };

    public override async Task<ReplayDeadLetterResponse> ReplayDeadLetter(ReplayDeadLetterRequest request, ServerCallContext context) =>
        new() { MessageId = await deadLetters.ReplayAsync(context.Caller(), request.Namespace, request.Queue, request.Id, context.CancellationToken) };

    public override async Task<PurgeDeadLettersResponse> PurgeDeadLetters(PurgeDeadLettersRequest request, ServerCallContext context) =>
        new() { Purged = await deadLetters.PurgeAsync(context.Caller(), request.Namespace, request.Queue, context.CancellationToken) };

    private static V1.DeadLetter ToWire(QueueDeadLetter letter)
    {
        var wire = new V1.DeadLetter
        {
            Id = letter.Id,
            Queue = letter.Queue,
            Group = letter.Group,
            MessageId = letter.MessageId,
            Payload = ByteString.CopyFrom(letter.Payload.Span),
            Error = letter.Error,
            Attempts = letter.Attempts,
            EnqueuedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(letter.EnqueuedAt)),
            DeadAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(letter.DeadAt)),
            PublisherSubject = letter.Context.PublisherSubject ?? "",
            PublisherClientId = letter.Context.PublisherClientId ?? "",
            SessionId = letter.Context.SessionId ?? "",
            Traceparent = letter.Context.TraceParent ?? "",
        };
        foreach (var (key, value) in letter.Metadata)
        {
            wire.Metadata[key] = value;
        }

        return wire;
    }
}
