using Prism.Admin.Calls;
using Prism.ControlStore;

namespace Prism.Admin.Audit;

/// <summary>Builds audit records (RFC-010 fields) from a call.</summary>
internal sealed class AuditEntries(TimeProvider time)
{
    /// <summary>The record of a call that succeeded.</summary>
    public AuditRecord Success(AdminCaller caller) => For(caller, success: true, "OK", error: null);

    /// <summary>The record of a call that failed or was denied.</summary>
    public AuditRecord Failure(AdminCaller caller, string statusCode, string error) => For(caller, success: false, statusCode, error);

    private AuditRecord For(AdminCaller caller, bool success, string statusCode, string? error) => new(
        Guid.NewGuid(),
        time.GetUtcNow(),
        caller.Actor,
        caller.Principal?.Groups ?? [],
        caller.Operation,
        caller.ResourceType,
        caller.ResourceId,
        caller.Namespace,
        caller.RequestId,
        success,
        error,
        statusCode,
        new Dictionary<string, string>(caller.Metadata))
    {
        ClientAddress = caller.ClientAddress,
    };
}
