using Prism.Hosting.Settings;

namespace Prism.ControlStore;

/// <summary>Where the control store keeps its state.</summary>
public static class StoreSettings
{
    /// <summary>PostgreSQL for the control store; unset means SQLite under PRISM_HOME.</summary>
    public static readonly Setting DatabaseUrl = new(
        "PRISM_DATABASE_URL", "admin:database_url", null,
        "PostgreSQL holding the control store (namespaces, configs, sessions, maintenance/drain state, audit): "
        + "postgres://user:pass@host:port/db or an Npgsql connection string. Unset: SQLite at PRISM_HOME/data/admin.db.")
    {
        Secret = true,
    };

    /// <summary>Every store setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [DatabaseUrl];
}
