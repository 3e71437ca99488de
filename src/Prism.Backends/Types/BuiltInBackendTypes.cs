using Prism.Backends.Drivers.Memstore;
using Prism.Backends.Drivers.Nats;
using Prism.Backends.Drivers.Postgres;
using Prism.Backends.Drivers.Redis;
using Prism.Backends.Drivers.Sqlite;

namespace Prism.Backends.Types;

/// <summary>The backend types this build knows: adding a type is its driver folder plus one line here.</summary>
public static class BuiltInBackendTypes
{
    /// <summary>Every type, in the order listings show them.</summary>
    public static IReadOnlyList<BackendType> All { get; } =
    [
        new MemstoreBackendType(),
        new SqliteBackendType(),
        new RedisBackendType(),
        new PostgresBackendType(),
        new NatsBackendType(),
    ];

    /// <summary>The instance that serves a pattern whose primary slot binds none: the in-process memory store.</summary>
    public static string UnboundSlotInstance { get; } = new MemstoreBackendType().Name;

    /// <summary>The type called <paramref name="name"/>, or null.</summary>
    public static BackendType? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
