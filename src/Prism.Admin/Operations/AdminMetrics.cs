using System.Diagnostics;
using Prism.Admin.Calls;
using Prism.ControlStore;

namespace Prism.Admin.Operations;

/// <summary>A named value for GetMetrics.</summary>
internal sealed record AdminMetric(string Name, double Value, IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>Counts from the store (count and sum queries, no rows loaded) and this process, for GetMetrics.</summary>
internal sealed class AdminMetrics(IControlStore store)
{
    /// <summary>Collects the metrics.</summary>
    public async Task<IReadOnlyList<AdminMetric>> CollectAsync(AdminCaller caller, CancellationToken cancellation)
    {
        caller.Touches("metrics");
        var stats = await store.StatisticsAsync(cancellation);
        var control = await store.GetControlStateAsync(cancellation);
        using var process = Process.GetCurrentProcess();
        return
        [
            new("prism_admin_namespaces", stats.Namespaces),
            new("prism_admin_configs", stats.Configs),
            new("prism_sessions_active", stats.ActiveSessions),
            new("prism_session_requests_total", stats.ActiveRequests),
            new("prism_session_bytes_in_total", stats.ActiveBytesIn),
            new("prism_session_bytes_out_total", stats.ActiveBytesOut),
            .. stats.ActiveSessionsByProxy.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new AdminMetric("prism_sessions_active_by_proxy", p.Value, new Dictionary<string, string> { ["proxy"] = p.Key })),
            new("prism_maintenance_enabled", control.Maintenance.Enabled ? 1 : 0),
            new("prism_draining", control.Drain.Draining ? 1 : 0),
            new("prism_admin_uptime_seconds", (DateTime.Now - process.StartTime).TotalSeconds),
            new("prism_admin_working_set_bytes", process.WorkingSet64),
        ];
    }
}
