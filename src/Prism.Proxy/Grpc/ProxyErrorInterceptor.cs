using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Grpc;

/// <summary>
/// Maps data-plane refusals to gRPC statuses, and anything unexpected to INTERNAL (logged). Refusals of who
/// the caller is or what it may use (UNAUTHENTICATED, PERMISSION_DENIED) are audited, bounded per client address.
/// </summary>
internal sealed partial class ProxyErrorInterceptor(RejectionAudit rejections, ILogger<ProxyErrorInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (ClientWentAway(e, context))
        {
            // The client went away or cancelled: the normal end of a subscription.
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <inheritdoc />
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (ClientWentAway(e, context))
        {
            // The client went away or cancelled: the normal end of a consumer stream.
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <summary>The status of a data-plane refusal.</summary>
    public static StatusCode Code(DataPlaneFailure failure) => failure switch
    {
        DataPlaneFailure.Unauthenticated => StatusCode.Unauthenticated,
        DataPlaneFailure.InvalidArgument => StatusCode.InvalidArgument,
        DataPlaneFailure.NotFound => StatusCode.NotFound,
        DataPlaneFailure.PermissionDenied => StatusCode.PermissionDenied,
        DataPlaneFailure.Unimplemented => StatusCode.Unimplemented,
        DataPlaneFailure.Unavailable => StatusCode.Unavailable,
        DataPlaneFailure.ResourceExhausted => StatusCode.ResourceExhausted,
        _ => StatusCode.Internal,
    };

    /// <summary>
    /// A stream ended by its client: cancelled, or reset (the read of the request stream then fails with an
    /// <see cref="IOException"/>). Not a failure of the proxy, so not logged as one.
    /// </summary>
    private static bool ClientWentAway(Exception error, ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested && error is OperationCanceledException or IOException;

    private RpcException Map(Exception error, ServerCallContext context)
    {
        switch (error)
        {
            case DataPlaneException e:
                rejections.Record(e, context);
                return new RpcException(new Status(Code(e.Failure), e.Message));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "call cancelled by the client"));
            default:
                LogFailed(logger, error, context.Method);
                return new RpcException(new Status(StatusCode.Internal, "internal error in the data proxy"));
        }
    }

    [LoggerMessage(EventId = 8030, EventName = "CallFailed", Level = LogLevel.Error, Message = "{Method} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method);
}
