using Prism.Security.Authorization;

namespace Prism.Admin.Calls;

/// <summary>The permission each AdminService RPC requires (RFC-010's table, extended to every RPC).</summary>
public static class MethodPermissions
{
    /// <summary>RPC name → permission.</summary>
    public static IReadOnlyDictionary<string, string> Required { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ListConfigs"] = Permissions.Read,
        ["GetConfig"] = Permissions.Read,
        ["CreateConfig"] = Permissions.Write,
        ["UpdateConfig"] = Permissions.Write,
        ["DeleteConfig"] = Permissions.Write,
        ["ListNamespaces"] = Permissions.Read,
        ["GetNamespace"] = Permissions.Read,
        ["CreateNamespace"] = Permissions.Write,
        ["UpdateNamespace"] = Permissions.Write,
        ["DeleteNamespace"] = Permissions.Write,
        ["ListSessions"] = Permissions.Read,
        ["GetSession"] = Permissions.Read,
        ["TerminateSession"] = Permissions.Operational,
        ["GetBackendStatus"] = Permissions.Read,
        ["ListBackends"] = Permissions.Read,
        ["GetBackend"] = Permissions.Read,
        ["CreateBackend"] = Permissions.Write,
        ["UpdateBackend"] = Permissions.Write,
        ["DeleteBackend"] = Permissions.Write,
        ["Apply"] = Permissions.Write,
        ["SetMaintenanceMode"] = Permissions.Operational,
        ["GetMaintenanceMode"] = Permissions.Read,
        ["DrainConnections"] = Permissions.Operational,
        ["GetMetrics"] = Permissions.Read,
        ["GetAuditLog"] = Permissions.Audit,
        ["ExportAuditLog"] = Permissions.Audit,
        ["ListDeadLetters"] = Permissions.Operational,
        ["GetDeadLetter"] = Permissions.Operational,
        ["ReplayDeadLetter"] = Permissions.Operational,
        ["PurgeDeadLetters"] = Permissions.Operational,
    };

    /// <summary>The permission for an RPC; an RPC missing from the table requires admin:write, failing closed.</summary>
    public static string For(string operation) => Required.GetValueOrDefault(operation, Permissions.Write);
}
