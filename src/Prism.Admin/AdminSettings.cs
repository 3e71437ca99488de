using Prism.Hosting.Settings;

namespace Prism.Admin;

/// <summary>Settings of the admin control plane.</summary>
public static class AdminSettings
{
    /// <summary>Key that signs page tokens when none is configured: fine on a laptop, refused in production.</summary>
    public const string DevelopmentCursorKey = "prism-dev-cursor-key-not-for-production";

    /// <summary>gRPC port.</summary>
    public static readonly Setting Port = new("PRISM_ADMIN_PORT", "admin:port", "8981", "gRPC port of the admin control plane.");

    /// <summary>HMAC key of page tokens.</summary>
    public static readonly Setting CursorKey = new("PRISM_ADMIN_CURSOR_KEY", "admin:cursor_key", null,
        "Secret (at least 32 characters) that signs list page tokens. Unset: a fixed development key, which production refuses.")
    {
        Secret = true,
    };

    /// <summary>Per-actor rate limit.</summary>
    public static readonly Setting RateLimit = new("PRISM_ADMIN_RATE_LIMIT", "admin:rate_limit_per_minute", "100",
        "Admin API calls each actor may make per minute; past it calls fail RESOURCE_EXHAUSTED.");

    /// <summary>Unauthenticated calls per client address per minute.</summary>
    public static readonly Setting AnonymousRateLimit = new("PRISM_ADMIN_ANONYMOUS_RATE_LIMIT", "admin:anonymous_rate_limit_per_minute", "60",
        "Unauthenticated admin API calls each client address may make per minute, each audited; past it calls fail RESOURCE_EXHAUSTED "
        + "and are counted in one audit entry per address and minute instead of one each.");

    /// <summary>Age of the oldest audit entry kept.</summary>
    public static readonly Setting AuditRetention = new("PRISM_ADMIN_AUDIT_RETENTION", "admin:audit_retention", "2160h",
        "Audit entries older than this (Go duration; 2160h = 90 days) are deleted by the retention pruner; 0 keeps them regardless of age.");

    /// <summary>Most audit entries kept.</summary>
    public static readonly Setting AuditMaxRows = new("PRISM_ADMIN_AUDIT_MAX_ROWS", "admin:audit_max_rows", "1000000",
        "Most audit entries kept; the pruner deletes the oldest past it. 0: no count limit.");

    /// <summary>Idle time after which a session row is deleted.</summary>
    public static readonly Setting SessionRetention = new("PRISM_ADMIN_SESSION_RETENTION", "admin:session_retention", "720h",
        "Sessions idle longer than this (Go duration; 720h = 30 days) are deleted by the retention pruner, unless they still hold a credential lease; 0 keeps them regardless of age.");

    /// <summary>Most session rows kept.</summary>
    public static readonly Setting SessionMaxRows = new("PRISM_ADMIN_SESSION_MAX_ROWS", "admin:session_max_rows", "100000",
        "Most sessions kept; the pruner deletes the least recently active past it. 0: no count limit.");

    /// <summary>How often the retention pruner runs.</summary>
    public static readonly Setting RetentionInterval = new("PRISM_ADMIN_RETENTION_INTERVAL", "admin:retention_interval", "10m",
        "How often each admin process prunes audit entries and sessions (Go duration); 0 turns pruning off in this process.");

    /// <summary>Every admin setting.</summary>
    public static IReadOnlyList<Setting> All { get; } =
        [Port, CursorKey, RateLimit, AnonymousRateLimit, AuditRetention, AuditMaxRows, SessionRetention, SessionMaxRows, RetentionInterval];
}
