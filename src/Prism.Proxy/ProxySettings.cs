using Prism.Hosting.Settings;

namespace Prism.Proxy;

/// <summary>Settings of the data proxy.</summary>
public static class ProxySettings
{
    /// <summary>gRPC port.</summary>
    public static readonly Setting Port = new("PRISM_PROXY_PORT", "proxy:port", "8980", "gRPC port of the data proxy (KeyValue and PubSub).");

    /// <summary>Name of this proxy process in session records.</summary>
    public static readonly Setting ProxyId = new("PRISM_PROXY_ID", "proxy:id", null,
        "Name of this proxy in session records (ListSessions shows it). Unset: hostname-pid.");

    /// <summary>Largest key.</summary>
    public static readonly Setting MaxKeyBytes = new("PRISM_PROXY_MAX_KEY_BYTES", "proxy:max_key_bytes", "1024",
        "Largest key or topic name in UTF-8 bytes; longer ones fail INVALID_ARGUMENT.");

    /// <summary>Largest value.</summary>
    public static readonly Setting MaxValueBytes = new("PRISM_PROXY_MAX_VALUE_BYTES", "proxy:max_value_bytes", "1048576",
        "Largest value or message payload in bytes (a namespace's max_value_bytes quota can lower it); larger ones fail INVALID_ARGUMENT.");

    /// <summary>Most items in one batch call.</summary>
    public static readonly Setting MaxBatchItems = new("PRISM_PROXY_MAX_BATCH_ITEMS", "proxy:max_batch_items", "1000",
        "Most items in one BatchSet, BatchGet or BatchDelete; more fail INVALID_ARGUMENT.");

    /// <summary>Largest gRPC request message.</summary>
    public static readonly Setting MaxRequestBytes = new("PRISM_PROXY_MAX_REQUEST_BYTES", "proxy:max_request_bytes", "16777216",
        "Largest request message gRPC accepts (a batch carries many values); must exceed max key + max value bytes so single oversized values get the proxy's INVALID_ARGUMENT message.");

    /// <summary>Control-state poll interval.</summary>
    public static readonly Setting ControlPollInterval = new("PRISM_PROXY_CONTROL_POLL_INTERVAL", "proxy:control_poll_interval", "500ms",
        "Time between reads of maintenance and drain state from the control store.")
    {
        Alias = new DeprecatedAlias("PRISM_PROXY_CONTROL_POLL_MS", "proxy:control_poll_ms", TimeSpan.FromMilliseconds(1)),
    };

    /// <summary>Session flush interval.</summary>
    public static readonly Setting SessionFlushInterval = new("PRISM_PROXY_SESSION_FLUSH_INTERVAL", "proxy:session_flush_interval", "1s",
        "Time between writes of session counters to the control store; terminations by an operator are noticed at the same pace.")
    {
        Alias = new DeprecatedAlias("PRISM_PROXY_SESSION_FLUSH_MS", "proxy:session_flush_ms", TimeSpan.FromMilliseconds(1)),
    };

    /// <summary>Idle time after which a session is closed.</summary>
    public static readonly Setting SessionIdleTimeout = new("PRISM_PROXY_SESSION_IDLE_TIMEOUT", "proxy:session_idle_timeout", "5m",
        "Time without calls (and without open streams) after which a session is marked closed; a later call reopens it.")
    {
        Alias = new DeprecatedAlias("PRISM_PROXY_SESSION_IDLE_S", "proxy:session_idle_s", TimeSpan.FromSeconds(1)),
    };

    /// <summary>Namespace cache lifetime.</summary>
    public static readonly Setting NamespaceRefreshInterval = new("PRISM_PROXY_NAMESPACE_REFRESH_INTERVAL", "proxy:namespace_refresh_interval", "1s",
        "Time a namespace read from the control store is used before it is read again; unknown namespaces are looked up on every call.")
    {
        Alias = new DeprecatedAlias("PRISM_PROXY_NAMESPACE_REFRESH_MS", "proxy:namespace_refresh_ms", TimeSpan.FromMilliseconds(1)),
    };

    /// <summary>Silence after which another proxy's credential leases count as abandoned.</summary>
    public static readonly Setting LeaseHolderTimeout = new("PRISM_PROXY_LEASE_HOLDER_TIMEOUT", "proxy:lease_holder_timeout", "15s",
        "A proxy records a heartbeat every second; when another proxy has been silent this long (killed, partitioned), its per-session backend credentials are revoked by the proxies still running.");

    /// <summary>Time between sweeps for abandoned credential leases.</summary>
    public static readonly Setting LeaseSweepInterval = new("PRISM_PROXY_LEASE_SWEEP_INTERVAL", "proxy:lease_sweep_interval", "10s",
        "Time between sweeps that revoke expired or abandoned per-session backend credentials and backend principals without a lease. A proxy also sweeps once when it starts.");

    /// <summary>Refused calls audited one by one per client address per minute.</summary>
    public static readonly Setting DeniedAuditLimit = new("PRISM_PROXY_DENIED_AUDIT_LIMIT", "proxy:denied_audit_per_minute", "60",
        "Refused data-plane calls (UNAUTHENTICATED, PERMISSION_DENIED) audited one entry each per client address per minute; past it they are "
        + "counted in one audit entry per address, status and minute.");

    /// <summary>Every proxy setting.</summary>
    public static IReadOnlyList<Setting> All { get; } =
        [Port, ProxyId, MaxKeyBytes, MaxValueBytes, MaxBatchItems, MaxRequestBytes, ControlPollInterval, SessionFlushInterval, SessionIdleTimeout, NamespaceRefreshInterval,
         LeaseHolderTimeout, LeaseSweepInterval, DeniedAuditLimit];
}
