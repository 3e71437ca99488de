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

    /// <summary>Every admin setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [Port, CursorKey, RateLimit];
}
