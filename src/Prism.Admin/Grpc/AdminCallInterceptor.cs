using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Prism.Admin.Audit;
using Prism.Admin.Calls;
using Prism.ControlStore;
using Prism.ControlStore.Denials;
using Prism.Security;
using Prism.Security.Tokens;

namespace Prism.Admin.Grpc;

/// <summary>
/// Runs around every AdminService call: request id, authentication, rate limit, permission,
/// then exactly one audit entry (success, failure or denial) and the mapping of domain
/// failures to gRPC status codes.
/// </summary>
internal sealed partial class AdminCallInterceptor(
    BearerAuthenticator authenticator,
    ActorRateLimiter rateLimiter,
    AuditWriter auditWriter,
    AuditEntries entries,
    DeniedCallAuditor deniedCalls,
    ILogger<AdminCallInterceptor> logger) : Interceptor
{
    private static readonly TimeSpan AuditWriteTimeout = TimeSpan.FromSeconds(10);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var caller = await BeginAsync(request, context);
        try
        {
            var response = await continuation(request, context);
            await AuditSuccessAsync(caller);
            return response;
        }
        catch (Exception e)
        {
            throw await FailAsync(caller, e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var caller = await BeginAsync(request, context);
        try
        {
            await continuation(request, responseStream, context);
            await AuditSuccessAsync(caller);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // A following reader ends its stream by cancelling: that is the normal end.
            await AuditSuccessAsync(caller);
        }
        catch (Exception e)
        {
            throw await FailAsync(caller, e, context);
        }
    }

    private async Task<AdminCaller> BeginAsync(object request, ServerCallContext context)
    {
        var operation = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var caller = new AdminCaller(null, RequestIds.From(context.RequestHeaders), operation) { ClientAddress = ClientAddresses.Of(context) };
        context.UserState[AdminCallContext.CallerKey] = caller;
        RequestResources.Describe(caller, request);
        await context.WriteResponseHeadersAsync(new Metadata { { RequestIds.Header, caller.RequestId } });

        caller.Principal = await AuthenticateAsync(caller, context);
        if (!rateLimiter.TryAcquire(caller.Actor))
        {
            throw await DenyAsync(caller, StatusCode.ResourceExhausted,
                $"rate limit of {rateLimiter.RequestsPerMinute} requests per minute exceeded for {caller.Actor}; retry in a minute");
        }

        var permission = MethodPermissions.For(operation);
        if (!caller.Principal.Has(permission))
        {
            var roles = caller.Principal.Roles.Count == 0 ? "none" : string.Join(", ", caller.Principal.Roles.Order(StringComparer.Ordinal));
            throw await DenyAsync(caller, StatusCode.PermissionDenied,
                $"{caller.Actor} lacks permission {permission} required by {operation} (roles: {roles})");
        }

        return caller;
    }

    private async Task<PrismPrincipal> AuthenticateAsync(AdminCaller caller, ServerCallContext context)
    {
        try
        {
            return (await authenticator.AuthenticateAsync(context.RequestHeaders.GetValue("authorization"), context.CancellationToken)).Principal;
        }
        catch (TokenRejectedException e)
        {
            var address = caller.ClientAddress ?? "unknown";
            if (!deniedCalls.Ledger.TryAdmit(address, StatusCodes.Name(StatusCode.ResourceExhausted)))
            {
                // Past the address's budget: counted in its summary entry instead of one entry each.
                AdminTelemetry.CallFinished(caller.Operation, StatusCodes.Name(StatusCode.ResourceExhausted));
                caller.Audited = true;
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"too many unauthenticated calls from {address}: at most {deniedCalls.Ledger.CallsPerWindow} per minute; retry later with a valid token"));
            }

            throw await DenyAsync(caller, StatusCode.Unauthenticated, e.Message);
        }
    }

    private async Task<RpcException> DenyAsync(AdminCaller caller, StatusCode code, string message)
    {
        LogDenied(logger, caller.Operation, caller.Actor, code, caller.RequestId);
        AdminTelemetry.CallFinished(caller.Operation, StatusCodes.Name(code));
        await WriteAuditAsync(entries.Failure(caller, StatusCodes.Name(code), message));
        caller.Audited = true;
        return new RpcException(new Status(code, message));
    }

    private async Task<RpcException> FailAsync(AdminCaller caller, Exception error, ServerCallContext context)
    {
        var status = StatusCodes.From(error, context, caller.RequestId);
        AdminTelemetry.CallFinished(caller.Operation, StatusCodes.Name(status.StatusCode));
        if (status.StatusCode == StatusCode.Internal)
        {
            LogFailed(logger, error, caller.Operation, caller.RequestId);
        }

        if (!caller.Audited)
        {
            await WriteAuditAsync(entries.Failure(caller, StatusCodes.Name(status.StatusCode), status.Detail));
            caller.Audited = true;
        }

        return error as RpcException ?? new RpcException(status);
    }

    private async Task AuditSuccessAsync(AdminCaller caller)
    {
        AdminTelemetry.CallFinished(caller.Operation, "OK");
        if (!caller.Audited)
        {
            await WriteAuditAsync(entries.Success(caller));
            caller.Audited = true;
        }
    }

    // The caller may have gone away; its audit entry is written regardless.
    private async Task WriteAuditAsync(AuditRecord record)
    {
        using var activity = AdminTelemetry.ActivitySource.StartActivity("admin.audit");
        activity?.SetTag("prism.operation", record.Operation);
        activity?.SetTag("prism.status", record.StatusCode);
        using var timeout = new CancellationTokenSource(AuditWriteTimeout);
        await auditWriter.WriteAsync(record, timeout.Token);
    }

    [LoggerMessage(EventId = 100, EventName = "CallDenied", Level = LogLevel.Information,
        Message = "denied {Operation} for {Actor}: {Code} (request {RequestId})")]
    private static partial void LogDenied(ILogger logger, string operation, string actor, StatusCode code, string requestId);

    [LoggerMessage(EventId = 101, EventName = "CallFailed", Level = LogLevel.Error,
        Message = "{Operation} failed (request {RequestId})")]
    private static partial void LogFailed(ILogger logger, Exception error, string operation, string requestId);
}
