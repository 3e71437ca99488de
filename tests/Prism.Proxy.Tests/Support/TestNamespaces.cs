using Prism.ControlStore;

namespace Prism.Proxy.Tests.Support;

/// <summary>Namespaces written straight into the control store, as the admin module would.</summary>
public static class TestNamespaces
{
    private static int _counter;

    /// <summary>A fresh, unique namespace name.</summary>
    public static string NewName(string prefix = "ns") => $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A namespace record offering <paramref name="patterns"/> (default both) bound to <paramref name="backends"/>.</summary>
    public static NamespaceRecord Record(string name, IReadOnlyDictionary<string, string>? backends = null,
        IReadOnlyList<string>? accessGroups = null, IReadOnlyList<string>? patterns = null, long maxValueBytes = 0, int maxRequestsPerSecond = 0) =>
        new(name, "test namespace", patterns ?? ["keyvalue", "pubsub"], NamespaceRecord.PrimarySlots(backends ?? new Dictionary<string, string>()),
            accessGroups ?? [], new NamespaceQuotas(maxValueBytes, maxRequestsPerSecond), new Dictionary<string, string>(),
            1, "tests", DateTimeOffset.UtcNow, "tests", DateTimeOffset.UtcNow);

    /// <summary>The audit entry that goes with a mutation made by a test.</summary>
    public static AuditRecord Audit(string operation) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, "tests", [], operation, "namespace", "", null, null, true, null, "OK",
            new Dictionary<string, string>());

    /// <summary>Creates <paramref name="record"/> in <paramref name="store"/>.</summary>
    public static async Task<NamespaceRecord> CreateAsync(this IControlStore store, NamespaceRecord record)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Await);
        return await store.CreateNamespaceAsync(record, Audit("CreateNamespace"), timeout.Token);
    }
}
