using System.Diagnostics;
using Prism.Admin.Calls;
using Prism.ControlStore;

namespace Prism.Admin.Operations;

/// <summary>A named value for GetMetrics.</summary>
internal sealed record AdminMetric(string Name, double Value, IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>Counts from the store and this process, for GetMetrics.</summary>
internal sealed class AdminMetrics(IControlStore store)
{
    private const int PageSize = 1000;

    /// <summary>Collects the metrics.</summary>
    public async Task<IReadOnlyList<AdminMetric>> CollectAsync(AdminCaller caller, CancellationToken cancellation)
    {
        caller.Touches("metrics");
        var namespaces = await CountAsync((page, ct) => store.ListNamespacesAsync(page, ct), cancellation);
        var configs = await CountAsync((page, ct) => store.ListConfigsAsync(page, ct), cancellation);
        var sessions = new List<SessionRecord>();
        await foreach (var session in AllAsync((page, ct) => store.ListSessionsAsync(page, null, false, ct), cancellation))
        {
            sessions.Add(session);
        }

        var control = await store.GetControlStateAsync(cancellation);
        using var process = Process.GetCurrentProcess();
        return
        [
            new("prism_admin_namespaces", namespaces),
            new("prism_admin_configs", configs),
            new("prism_sessions_active", sessions.Count),
            new("prism_session_requests_total", sessions.Sum(s => s.Requests)),
            new("prism_session_bytes_in_total", sessions.Sum(s => s.BytesIn)),
            new("prism_session_bytes_out_total", sessions.Sum(s => s.BytesOut)),
            .. sessions.GroupBy(s => s.ProxyId).Select(g => new AdminMetric("prism_sessions_active_by_proxy", g.Count(), new Dictionary<string, string> { ["proxy"] = g.Key })),
            new("prism_maintenance_enabled", control.Maintenance.Enabled ? 1 : 0),
            new("prism_draining", control.Drain.Draining ? 1 : 0),
            new("prism_admin_uptime_seconds", (DateTime.Now - process.StartTime).TotalSeconds),
            new("prism_admin_working_set_bytes", process.WorkingSet64),
        ];
    }

    private static async Task<long> CountAsync<T>(Func<PageRequest, CancellationToken, Task<Page<T>>> list, CancellationToken cancellation)
    {
        long count = 0;
        await foreach (var _ in AllAsync(list, cancellation))
        {
            count++;
        }

        return count;
    }

    private static async IAsyncEnumerable<T> AllAsync<T>(
        Func<PageRequest, CancellationToken, Task<Page<T>>> list, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        string? after = null;
        do
        {
            var page = await list(new PageRequest(PageSize, after), cancellation);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            after = page.LastKey;
        }
        while (after is not null);
    }
}
