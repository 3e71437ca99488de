using Grpc.Core;
using Prism.Admin.V1;

namespace Prism.Admin.Tests;

/// <summary>One well-formed call of every AdminService RPC, for the role matrix.</summary>
public static class AdminCalls
{
    public static IReadOnlyDictionary<string, Func<AdminService.AdminServiceClient, CallOptions, Task>> All { get; } =
        new Dictionary<string, Func<AdminService.AdminServiceClient, CallOptions, Task>>
        {
            ["ListConfigs"] = async (c, o) => await c.ListConfigsAsync(new ListConfigsRequest(), o),
            ["GetConfig"] = async (c, o) => await c.GetConfigAsync(new GetConfigRequest { Name = "missing" }, o),
            ["CreateConfig"] = async (c, o) => await c.CreateConfigAsync(new CreateConfigRequest { Config = new Config { Name = "cfg-" + Guid.NewGuid().ToString("N")[..8], Format = "yaml", Content = "a: 1" } }, o),
            ["UpdateConfig"] = async (c, o) => await c.UpdateConfigAsync(new UpdateConfigRequest { Config = new Config { Name = "missing", Format = "yaml", Content = "a: 2", Version = 1 } }, o),
            ["DeleteConfig"] = async (c, o) => await c.DeleteConfigAsync(new DeleteConfigRequest { Name = "missing" }, o),
            ["ListNamespaces"] = async (c, o) => await c.ListNamespacesAsync(new ListNamespacesRequest(), o),
            ["GetNamespace"] = async (c, o) => await c.GetNamespaceAsync(new GetNamespaceRequest { Name = "missing" }, o),
            ["CreateNamespace"] = async (c, o) => await c.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = "ns-" + Guid.NewGuid().ToString("N")[..8] } }, o),
            ["UpdateNamespace"] = async (c, o) => await c.UpdateNamespaceAsync(new UpdateNamespaceRequest { Namespace = new Namespace { Name = "missing", Version = 1 } }, o),
            ["DeleteNamespace"] = async (c, o) => await c.DeleteNamespaceAsync(new DeleteNamespaceRequest { Name = "missing" }, o),
            ["ListSessions"] = async (c, o) => await c.ListSessionsAsync(new ListSessionsRequest(), o),
            ["GetSession"] = async (c, o) => await c.GetSessionAsync(new GetSessionRequest { Id = "missing" }, o),
            ["TerminateSession"] = async (c, o) => await c.TerminateSessionAsync(new TerminateSessionRequest { Id = "missing" }, o),
            ["GetBackendStatus"] = async (c, o) => await c.GetBackendStatusAsync(new GetBackendStatusRequest { Names = { "memstore" } }, o),
            ["ListBackends"] = async (c, o) => await c.ListBackendsAsync(new ListBackendsRequest(), o),
            ["GetBackend"] = async (c, o) => await c.GetBackendAsync(new GetBackendRequest { Name = "memstore" }, o),
            ["CreateBackend"] = async (c, o) => await c.CreateBackendAsync(new CreateBackendRequest { Backend = new Backend { Name = "mem-" + Guid.NewGuid().ToString("N")[..8], Type = "memstore" } }, o),
            ["UpdateBackend"] = async (c, o) => await c.UpdateBackendAsync(new UpdateBackendRequest { Backend = new Backend { Name = "missing", Type = "memstore", Version = 1 } }, o),
            ["DeleteBackend"] = async (c, o) => await c.DeleteBackendAsync(new DeleteBackendRequest { Name = "missing" }, o),
            ["Apply"] = async (c, o) => await c.ApplyAsync(new ApplyRequest { ValidateOnly = true }, o),
            ["SetMaintenanceMode"] = async (c, o) => await c.SetMaintenanceModeAsync(new SetMaintenanceModeRequest { Enabled = false }, o),
            ["GetMaintenanceMode"] = async (c, o) => await c.GetMaintenanceModeAsync(new GetMaintenanceModeRequest(), o),
            ["DrainConnections"] = async (c, o) => await c.DrainConnectionsAsync(new DrainConnectionsRequest { Cancel = true }, o),
            ["GetMetrics"] = async (c, o) => await c.GetMetricsAsync(new GetMetricsRequest(), o),
            ["ListDeadLetters"] = async (c, o) => await c.ListDeadLettersAsync(new ListDeadLettersRequest { Namespace = "missing", Queue = "q" }, o),
            ["GetDeadLetter"] = async (c, o) => await c.GetDeadLetterAsync(new GetDeadLetterRequest { Namespace = "missing", Queue = "q", Id = "1-0" }, o),
            ["ReplayDeadLetter"] = async (c, o) => await c.ReplayDeadLetterAsync(new ReplayDeadLetterRequest { Namespace = "missing", Queue = "q", Id = "1-0" }, o),
            ["PurgeDeadLetters"] = async (c, o) => await c.PurgeDeadLettersAsync(new PurgeDeadLettersRequest { Namespace = "missing", Queue = "q" }, o),
            ["ExportAuditLog"] = async (c, o) =>
            {
                using var call = c.ExportAuditLog(new ExportAuditLogRequest { Since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) }, o);
                while (await call.ResponseStream.MoveNext(o.CancellationToken))
                {
                }
            },
            ["GetAuditLog"] = async (c, o) =>
            {
                using var call = c.GetAuditLog(new GetAuditLogRequest { Limit = 1 }, o);
                while (await call.ResponseStream.MoveNext(o.CancellationToken))
                {
                }
            },
        };
}
