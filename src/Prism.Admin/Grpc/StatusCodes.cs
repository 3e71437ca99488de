using Grpc.Core;
using Prism.Admin.Calls;
using Prism.Admin.Apply;
using Prism.Admin.Backends;
using Prism.Admin.Queues;
using Prism.Backends;
using Prism.ControlStore;

namespace Prism.Admin.Grpc;

/// <summary>How domain failures become gRPC statuses.</summary>
internal static class StatusCodes
{
    public static Status From(Exception error, ServerCallContext context, string requestId) => error switch
    {
        RpcException rpc => rpc.Status,
        AdminValidationException e => new Status(StatusCode.InvalidArgument, e.Message),
        ResourceNotFoundException e => new Status(StatusCode.NotFound, e.Message),
        ResourceAlreadyExistsException e => new Status(StatusCode.AlreadyExists, e.Message),
        VersionConflictException e => new Status(StatusCode.FailedPrecondition, e.Message),
        ResourceInUseException e => new Status(StatusCode.FailedPrecondition, e.Message),
        BackendConnectionException e => new Status(StatusCode.FailedPrecondition, e.Message),
        BackendConfiguredException e => new Status(StatusCode.FailedPrecondition, e.Message),
        QueueNotOfferedException e => new Status(StatusCode.FailedPrecondition, e.Message),
        DeadLetterNotFoundException e => new Status(StatusCode.NotFound, e.Message),
        BackendUnavailableException e => new Status(StatusCode.Unavailable, e.Message),
        ApplyItemException { InnerException: { } inner } e => new Status(From(inner, context, requestId).StatusCode, e.Message),
        OperationCanceledException when context.CancellationToken.IsCancellationRequested => new Status(StatusCode.Cancelled, "call cancelled by the client"),
        _ => new Status(StatusCode.Internal, $"internal error; quote request id {requestId} when reporting it"),
    };

    /// <summary>The upper-case status name used in audit entries (OK, PERMISSION_DENIED, ...).</summary>
    public static string Name(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        _ => "INTERNAL",
    };
}
