using Grpc.Core;
using Prism.ControlStore;
using Prism.ControlStore.Denials;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Grpc;

/// <summary>
/// Audit entries of refused data-plane calls (UNAUTHENTICATED, PERMISSION_DENIED): written in the background,
/// one each up to the per-address budget, then counted in one summary entry per address, status and minute.
/// </summary>
internal sealed class RejectionAudit(DeniedCallAuditor auditor, ProxyOptions options, TimeProvider time)
{
    public void Record(DataPlaneException refusal, ServerCallContext context)
    {
        var status = refusal.Failure switch
        {
            DataPlaneFailure.Unauthenticated => "UNAUTHENTICATED",
            DataPlaneFailure.PermissionDenied => "PERMISSION_DENIED",
            _ => null,
        };
        if (status is null)
        {
            return;
        }

        var address = ClientAddress(context);
        var @namespace = context.RequestHeaders.GetValue(DataPlaneCaller.NamespaceHeader);
        var method = context.Method.TrimStart('/');
        var record = new AuditRecord(
            Guid.NewGuid(), time.GetUtcNow(), refusal.Actor ?? "anonymous", [], method[(method.LastIndexOf('.') + 1)..],
            "namespace", @namespace ?? "", string.IsNullOrEmpty(@namespace) ? null : @namespace, null, false, refusal.Message, status,
            new Dictionary<string, string> { ["proxy_id"] = options.ProxyId, ["method"] = method })
        {
            ClientAddress = address,
        };
        auditor.Enqueue(record, address ?? "unknown");
    }

    private static string? ClientAddress(ServerCallContext context)
    {
        var address = context.GetHttpContext().Connection.RemoteIpAddress;
        return address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
