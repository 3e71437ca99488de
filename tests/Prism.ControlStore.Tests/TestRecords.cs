namespace Prism.ControlStore.Tests;

/// <summary>Records with sensible values for tests.</summary>
internal static class TestRecords
{
    /// <summary>A fixed instant with sub-microsecond ticks, to check the store's truncation.</summary>
    public static readonly DateTimeOffset Now = new DateTimeOffset(2025, 10, 9, 12, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

    public static NamespaceRecord Namespace(string name, string description = "test namespace") => new(
        name,
        description,
        ["keyvalue", "pubsub"],
        NamespaceRecord.PrimarySlots(new Dictionary<string, string> { ["keyvalue"] = "memstore", ["pubsub"] = "memstore" }),
        ["team-a", "prism:admin"],
        new NamespaceQuotas(65536, 50),
        new Dictionary<string, string> { ["env"] = "test", ["owner"] = "alice" },
        1,
        "alice@example.com",
        Now,
        "alice@example.com",
        Now);

    public static ConfigRecord Config(string name, string content = "a: 1") => new(
        name, "test config", "yaml", content, new Dictionary<string, string> { ["tier"] = "gold" },
        1, "alice@example.com", Now, "alice@example.com", Now);

    public static SessionRecord Session(string id, string @namespace, SessionStatus status = SessionStatus.Active) => new(
        id, "bob@example.com", "prismctl", @namespace, "proxy-1", status, Now, Now.AddSeconds(5), 10, 100, 1000, null, null);

    public static AuditRecord Audit(
        string operation = "CreateNamespace", string? @namespace = "ns", string actor = "alice@example.com", DateTimeOffset? at = null, Guid? id = null) => new(
        id ?? Guid.NewGuid(),
        at ?? Now,
        actor,
        ["prism:admin", "team-a"],
        operation,
        "namespace",
        @namespace ?? "",
        @namespace,
        "req-" + Guid.NewGuid().ToString("N")[..8],
        true,
        null,
        "OK",
        new Dictionary<string, string> { ["patterns"] = "keyvalue" });

    /// <summary>UTC, whole microseconds: what the store keeps of a timestamp.</summary>
    public static DateTimeOffset Stored(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
