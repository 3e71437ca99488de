namespace Prism.ControlStore;

/// <summary>
/// A namespace as stored: the unit of data-plane routing and access. <see cref="Slots"/> maps
/// pattern → slot → backend instance; a pattern without an entry uses memstore.
/// </summary>
public sealed record NamespaceRecord(
    string Name,
    string Description,
    IReadOnlyList<string> Patterns,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Slots,
    IReadOnlyList<string> AccessGroups,
    NamespaceQuotas Quotas,
    IReadOnlyDictionary<string, string> Labels,
    long Version,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt) : IVersionedRecord
{
    /// <summary>The instance bound to <paramref name="slot"/> of <paramref name="pattern"/>, or null.</summary>
    public string? Binding(string pattern, string slot) =>
        Slots.TryGetValue(pattern, out var slots) && slots.TryGetValue(slot, out var instance) && instance.Length > 0 ? instance : null;

    /// <summary>Slots binding each pattern's primary slot (keyvalue: store, pubsub: source) to the given instance.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> PrimarySlots(IReadOnlyDictionary<string, string> instanceByPattern) =>
        instanceByPattern.ToDictionary(
            p => p.Key,
            p => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(StringComparer.Ordinal) { [Backends.Patterns.Find(p.Key)?.Primary.Name ?? p.Key] = p.Value },
            StringComparer.Ordinal);

    /// <summary>Every backend instance the namespace binds, in any slot.</summary>
    public IEnumerable<string> BoundInstances => Slots.Values.SelectMany(s => s.Values).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal);

    /// <summary>How members of the namespace's consumer groups consume unless they ask otherwise; read by proxies at each join.</summary>
    public QueueDefaults Queue { get; init; } = QueueDefaults.None;
}

/// <summary>A namespace's consumer-group settings; null means the server default (16 in flight, 30 s, 5 retries).</summary>
/// <param name="MaxInFlight">Most unsettled messages one member holds.</param>
/// <param name="VisibilityTimeout">How long a delivered message stays with its member before another gets it.</param>
/// <param name="MaxRetries">Failed deliveries retried before a message becomes a dead letter.</param>
public sealed record QueueDefaults(int? MaxInFlight, TimeSpan? VisibilityTimeout, int? MaxRetries)
{
    /// <summary>Nothing set: the server defaults.</summary>
    public static QueueDefaults None { get; } = new(null, null, null);
}

/// <summary>Per-namespace limits; 0 means the server default.</summary>
public sealed record NamespaceQuotas(long MaxValueBytes, int MaxRequestsPerSecond)
{
    /// <summary>No explicit limits.</summary>
    public static NamespaceQuotas Defaults { get; } = new(0, 0);
}

/// <summary>
/// A backend instance created through the admin API (the configuration's instances are never stored):
/// <see cref="Settings"/> are its type's non-secret settings, <see cref="Secrets"/> the secret ones,
/// never returned by the API, logged or audited.
/// </summary>
public sealed record BackendRecord(
    string Name,
    string Type,
    string Description,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> Secrets,
    IReadOnlyDictionary<string, string> Labels,
    long Version,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt) : IVersionedRecord;

/// <summary>A named configuration document (YAML or JSON).</summary>
public sealed record ConfigRecord(
    string Name,
    string Description,
    string Format,
    string Content,
    IReadOnlyDictionary<string, string> Labels,
    long Version,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt) : IVersionedRecord;

/// <summary>Lifecycle of a data-plane session.</summary>
public enum SessionStatus
{
    /// <summary>Serving requests.</summary>
    Active = 1,

    /// <summary>Ended by an operator; the proxy closes its streams and rejects its calls.</summary>
    Terminated = 2,

    /// <summary>Ended by the client or the proxy.</summary>
    Closed = 3,
}

/// <summary>One client identity using one namespace through one proxy, with its counters.</summary>
public sealed record SessionRecord(
    string Id,
    string Identity,
    string? ClientId,
    string Namespace,
    string ProxyId,
    SessionStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivity,
    long Requests,
    long BytesIn,
    long BytesOut,
    string? TerminatedBy,
    string? TerminationReason);

/// <summary>One audit entry (RFC-010 fields). <see cref="Sequence"/> is assigned by the store.</summary>
public sealed record AuditRecord(
    Guid Id,
    DateTimeOffset Timestamp,
    string Actor,
    IReadOnlyList<string> ActorGroups,
    string Operation,
    string ResourceType,
    string ResourceId,
    string? Namespace,
    string? RequestId,
    bool Success,
    string? Error,
    string StatusCode,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Position in the log, increasing; 0 until stored.</summary>
    public long Sequence { get; init; }

    /// <summary>Network address the call came from (<c>ipv4:10.0.0.7:51234</c>), when known.</summary>
    public string? ClientAddress { get; init; }
}

/// <summary>Maintenance mode, shared by every proxy reading the same store.</summary>
public sealed record MaintenanceState(bool Enabled, string Message, string? SetBy, DateTimeOffset? SetAt)
{
    /// <summary>Not in maintenance.</summary>
    public static MaintenanceState Off { get; } = new(false, "", null, null);
}

/// <summary>Drain request: proxies refuse new sessions and close existing ones at <see cref="Deadline"/>.</summary>
public sealed record DrainState(bool Draining, string Message, DateTimeOffset? Deadline, string? SetBy)
{
    /// <summary>Not draining.</summary>
    public static DrainState Off { get; } = new(false, "", null, null);
}

/// <summary>Everything the data plane obeys, read in one query.</summary>
public sealed record ControlState(MaintenanceState Maintenance, DrainState Drain);

/// <summary>Keyset page request: items after <see cref="AfterKey"/> (exclusive), ordered by key.</summary>
public sealed record PageRequest(int PageSize, string? AfterKey);

/// <summary>One page; <see cref="LastKey"/> is null when nothing follows.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? LastKey);

/// <summary>
/// Audit filters; entries come in sequence order after <see cref="AfterSequence"/>, or with
/// <see cref="NewestFirst"/> the newest <see cref="Limit"/> matching entries, newest first.
/// </summary>
public sealed record AuditQuery(
    string? Actor = null,
    string? Operation = null,
    string? Namespace = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    long AfterSequence = 0,
    int Limit = 100,
    bool NewestFirst = false);

/// <summary>
/// A per-session backend credential as the control store knows it: who holds it, where, until when.
/// The secret is never stored; the principal (role or user name) is not secret.
/// </summary>
/// <param name="Id">Lease id; the principal's name is derived from it.</param>
/// <param name="SessionId">The session it was issued to.</param>
/// <param name="Backend">Backend instance name.</param>
/// <param name="Namespace">The only namespace the credential reaches.</param>
/// <param name="Principal">Role or user name on the backend.</param>
/// <param name="Holder">The proxy process holding it (one id per process start).</param>
/// <param name="ProxyId">That process's proxy id.</param>
/// <param name="IssuedAt">When issued.</param>
/// <param name="ExpiresAt">When it stops working unless renewed.</param>
public sealed record LeaseRecord(
    string Id, string SessionId, string Backend, string Namespace, string Principal, string Holder, string ProxyId,
    DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// How much history the store keeps: audit entries and sessions older than their age, or past their
/// count (oldest first), are deleted by <see cref="IControlStore.PruneAsync"/>. Zero turns a limit off.
/// </summary>
public sealed record RetentionPolicy(TimeSpan AuditAge, int AuditMaxRows, TimeSpan SessionAge, int SessionMaxRows);

/// <summary>Rows one prune deleted.</summary>
public sealed record PruneOutcome(long AuditDeleted, long SessionsDeleted);

/// <summary>Counts computed by the database for GetMetrics; the session figures cover active sessions.</summary>
public sealed record StoreStatistics(
    long Namespaces,
    long Configs,
    long ActiveSessions,
    long ActiveRequests,
    long ActiveBytesIn,
    long ActiveBytesOut,
    IReadOnlyDictionary<string, long> ActiveSessionsByProxy);
