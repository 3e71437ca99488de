namespace Prism.ControlStore.Schema;

/// <summary>Converts between the public records and the stored rows.</summary>
internal static class RowMapping
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>UTC, truncated to the microsecond both databases keep, so a value reads back equal.</summary>
    public static DateTimeOffset StoreTime(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TicksPerMicrosecond), TimeSpan.Zero);

    public static DateTimeOffset? StoreTime(DateTimeOffset? value) => value is { } v ? StoreTime(v) : null;

    public static NamespaceRow ToRow(NamespaceRecord r) => new()
    {
        Name = r.Name,
        Description = r.Description,
        Patterns = JsonColumns.Write(r.Patterns),
        Backends = JsonColumns.WriteSlots(r.Slots),
        AccessGroups = JsonColumns.Write(r.AccessGroups),
        MaxValueBytes = r.Quotas.MaxValueBytes,
        MaxRequestsPerSecond = r.Quotas.MaxRequestsPerSecond,
        QueueSettings = JsonColumns.WriteQueue(r.Queue),
        Labels = JsonColumns.Write(r.Labels),
        Version = r.Version,
        CreatedBy = r.CreatedBy,
        CreatedAt = StoreTime(r.CreatedAt),
        UpdatedBy = r.UpdatedBy,
        UpdatedAt = StoreTime(r.UpdatedAt),
    };

    public static NamespaceRecord ToRecord(NamespaceRow r) => new(
        r.Name, r.Description, JsonColumns.ReadList(r.Patterns), JsonColumns.ReadSlots(r.Backends), JsonColumns.ReadList(r.AccessGroups),
        new NamespaceQuotas(r.MaxValueBytes, r.MaxRequestsPerSecond), JsonColumns.ReadMap(r.Labels),
        r.Version, r.CreatedBy, r.CreatedAt, r.UpdatedBy, r.UpdatedAt)
    {
        Queue = JsonColumns.ReadQueue(r.QueueSettings),
    };

    public static ConfigRow ToRow(ConfigRecord r) => new()
    {
        Name = r.Name,
        Description = r.Description,
        Format = r.Format,
        Content = r.Content,
        Labels = JsonColumns.Write(r.Labels),
        Version = r.Version,
        CreatedBy = r.CreatedBy,
        CreatedAt = StoreTime(r.CreatedAt),
        UpdatedBy = r.UpdatedBy,
        UpdatedAt = StoreTime(r.UpdatedAt),
    };

    public static ConfigRecord ToRecord(ConfigRow r) => new(
        r.Name, r.Description, r.Format, r.Content, JsonColumns.ReadMap(r.Labels),
        r.Version, r.CreatedBy, r.CreatedAt, r.UpdatedBy, r.UpdatedAt);

    public static BackendRow ToRow(BackendRecord r) => new()
    {
        Name = r.Name,
        Type = r.Type,
        Description = r.Description,
        Settings = JsonColumns.Write(r.Settings),
        Secrets = JsonColumns.Write(r.Secrets),
        Labels = JsonColumns.Write(r.Labels),
        Version = r.Version,
        CreatedBy = r.CreatedBy,
        CreatedAt = StoreTime(r.CreatedAt),
        UpdatedBy = r.UpdatedBy,
        UpdatedAt = StoreTime(r.UpdatedAt),
    };

    public static BackendRecord ToRecord(BackendRow r) => new(
        r.Name, r.Type, r.Description, JsonColumns.ReadMap(r.Settings), JsonColumns.ReadMap(r.Secrets), JsonColumns.ReadMap(r.Labels),
        r.Version, r.CreatedBy, r.CreatedAt, r.UpdatedBy, r.UpdatedAt);

    public static SessionRecord ToRecord(SessionRow r) => new(
        r.Id, r.Identity, r.ClientId, r.Namespace, r.ProxyId, (SessionStatus)r.Status, r.StartedAt, r.LastActivity,
        r.Requests, r.BytesIn, r.BytesOut, r.TerminatedBy, r.TerminationReason);

    public static LeaseRecord ToRecord(LeaseRow r) =>
        new(r.Id, r.SessionId, r.Backend, r.Namespace, r.Principal, r.Holder, r.ProxyId, r.IssuedAt, r.ExpiresAt);

    public static LeaseRow ToRow(LeaseRecord r) => new()
    {
        Id = r.Id, SessionId = r.SessionId, Backend = r.Backend, Namespace = r.Namespace, Principal = r.Principal,
        Holder = r.Holder, ProxyId = r.ProxyId, IssuedAt = StoreTime(r.IssuedAt), ExpiresAt = StoreTime(r.ExpiresAt),
    };

    public static AuditRow ToRow(AuditRecord r) => new()
    {
        Id = r.Id,
        Timestamp = StoreTime(r.Timestamp),
        Actor = r.Actor,
        ActorGroups = JsonColumns.Write(r.ActorGroups),
        Operation = r.Operation,
        ResourceType = r.ResourceType,
        ResourceId = r.ResourceId,
        Namespace = r.Namespace,
        RequestId = r.RequestId,
        Success = r.Success,
        Error = r.Error,
        StatusCode = r.StatusCode,
        Metadata = JsonColumns.Write(r.Metadata),
        ClientAddress = r.ClientAddress,
    };

    public static AuditRecord ToRecord(AuditRow r) => new(
        r.Id, r.Timestamp, r.Actor, JsonColumns.ReadList(r.ActorGroups), r.Operation, r.ResourceType, r.ResourceId,
        r.Namespace, r.RequestId, r.Success, r.Error, r.StatusCode, JsonColumns.ReadMap(r.Metadata))
    {
        Sequence = r.Sequence,
        ClientAddress = r.ClientAddress,
    };

    public static ControlState ToRecord(ControlRow r) => new(
        new MaintenanceState(r.MaintenanceEnabled, r.MaintenanceMessage, r.MaintenanceSetBy, r.MaintenanceSetAt),
        new DrainState(r.Draining, r.DrainMessage, r.DrainDeadline, r.DrainSetBy));
}
