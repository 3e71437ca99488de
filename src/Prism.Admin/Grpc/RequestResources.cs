using Prism.Admin.Calls;
using Prism.Admin.V1;

namespace Prism.Admin.Grpc;

/// <summary>Names the resource a request touches before it is authorised, so denials are audited with it.</summary>
internal static class RequestResources
{
    public static void Describe(AdminCaller caller, object request)
    {
        _ = request switch
        {
            CreateNamespaceRequest r => caller.Touches("namespace", r.Namespace?.Name ?? "", r.Namespace?.Name),
            UpdateNamespaceRequest r => caller.Touches("namespace", r.Namespace?.Name ?? "", r.Namespace?.Name),
            DeleteNamespaceRequest r => caller.Touches("namespace", r.Name, r.Name),
            GetNamespaceRequest r => caller.Touches("namespace", r.Name, r.Name),
            ListNamespacesRequest => caller.Touches("namespace"),
            CreateConfigRequest r => caller.Touches("config", r.Config?.Name ?? ""),
            UpdateConfigRequest r => caller.Touches("config", r.Config?.Name ?? ""),
            DeleteConfigRequest r => caller.Touches("config", r.Name),
            GetConfigRequest r => caller.Touches("config", r.Name),
            ListConfigsRequest => caller.Touches("config"),
            GetSessionRequest r => caller.Touches("session", r.Id),
            TerminateSessionRequest r => caller.Touches("session", r.Identity.Length > 0 ? "identity:" + r.Identity : r.Id),
            ListSessionsRequest r => caller.Touches("session", "", r.Namespace.Length > 0 ? r.Namespace : null),
            ListBackendsRequest or GetBackendStatusRequest => caller.Touches("backend"),
            GetBackendRequest r => caller.Touches("backend", r.Name),
            CreateBackendRequest r => caller.Touches("backend", r.Backend?.Name ?? ""),
            UpdateBackendRequest r => caller.Touches("backend", r.Backend?.Name ?? ""),
            DeleteBackendRequest r => caller.Touches("backend", r.Name),
            ApplyRequest => caller.Touches("apply"),
            SetMaintenanceModeRequest or GetMaintenanceModeRequest => caller.Touches("maintenance"),
            DrainConnectionsRequest => caller.Touches("drain"),
            GetMetricsRequest => caller.Touches("metrics"),
            GetAuditLogRequest r => caller.Touches("audit", "", r.Namespace.Length > 0 ? r.Namespace : null),
            ListDeadLettersRequest r => caller.Touches("queue", r.Queue, NullIfEmpty(r.Namespace)),
            GetDeadLetterRequest r => caller.Touches("queue", r.Queue, NullIfEmpty(r.Namespace)),
            ReplayDeadLetterRequest r => caller.Touches("queue", r.Queue, NullIfEmpty(r.Namespace)),
            PurgeDeadLettersRequest r => caller.Touches("queue", r.Queue, NullIfEmpty(r.Namespace)),
            _ => caller,
        };
    }

    private static string? NullIfEmpty(string value) => value.Length > 0 ? value : null;
}
