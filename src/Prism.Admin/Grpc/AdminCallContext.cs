using Grpc.Core;
using Prism.Admin.Calls;

namespace Prism.Admin.Grpc;

/// <summary>Access to the <see cref="AdminCaller"/> the interceptor attached to a call.</summary>
internal static class AdminCallContext
{
    public const string CallerKey = "prism.admin.caller";

    public static AdminCaller Caller(this ServerCallContext context) =>
        context.UserState.TryGetValue(CallerKey, out var caller) && caller is AdminCaller c
            ? c
            : throw new InvalidOperationException("AdminCallInterceptor did not run for this call");
}
