using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Prism.ControlStore;
using Prism.Admin.V1;
using Prism.Backends;
using Prism.Backends.Health;

namespace Prism.Admin.Grpc;

/// <summary>Translations between store records and prism.admin.v1 messages.</summary>
internal static class WireMapping
{
    public static Namespace ToWire(this NamespaceRecord r)
    {
        var wire = new Namespace
        {
            Name = r.Name,
            Description = r.Description,
            Quotas = new Quotas { MaxValueBytes = r.Quotas.MaxValueBytes, MaxRequestsPerSecond = r.Quotas.MaxRequestsPerSecond },
            Version = r.Version,
            CreatedBy = r.CreatedBy,
            CreatedAt = Timestamp.FromDateTimeOffset(r.CreatedAt),
            UpdatedBy = r.UpdatedBy,
            UpdatedAt = Timestamp.FromDateTimeOffset(r.UpdatedAt),
        };
        wire.Patterns.AddRange(r.Patterns);
        wire.Backends.AddAll(r.Backends);
        wire.AccessGroups.AddRange(r.AccessGroups);
        wire.Labels.AddAll(r.Labels);
        return wire;
    }

    public static NamespaceRecord ToRecord(this Namespace? n)
    {
        n ??= new Namespace();
        var quotas = n.Quotas is null ? NamespaceQuotas.Defaults : new NamespaceQuotas(0, n.Quotas.MaxValueBytes, n.Quotas.MaxRequestsPerSecond);
        return new NamespaceRecord(n.Name, n.Description, [.. n.Patterns], Copy(n.Backends), [.. n.AccessGroups], quotas, Copy(n.Labels),
            n.Version, "", default, "", default);
    }

    public static Config ToWire(this ConfigRecord r)
    {
        var wire = new Config
        {
            Name = r.Name,
            Description = r.Description,
            Format = r.Format,
            Content = r.Content,
            Version = r.Version,
            CreatedBy = r.CreatedBy,
            CreatedAt = Timestamp.FromDateTimeOffset(r.CreatedAt),
            UpdatedBy = r.UpdatedBy,
            UpdatedAt = Timestamp.FromDateTimeOffset(r.UpdatedAt),
        };
        wire.Labels.AddAll(r.Labels);
        return wire;
    }

    public static ConfigRecord ToRecord(this Config? c)
    {
        c ??= new Config();
        return new ConfigRecord(c.Name, c.Description, c.Format, c.Content, Copy(c.Labels), c.Version, "", default, "", default);
    }

    public static Session ToWire(this SessionRecord s) => new()
    {
        Id = s.Id,
        Identity = s.Identity,
        ClientId = s.ClientId ?? "",
        Namespace = s.Namespace,
        ProxyId = s.ProxyId,
        State = s.Status switch
        {
            SessionStatus.Active => SessionState.Active,
            SessionStatus.Terminated => SessionState.Terminated,
            _ => SessionState.Closed,
        },
        StartedAt = Timestamp.FromDateTimeOffset(s.StartedAt),
        LastActivity = Timestamp.FromDateTimeOffset(s.LastActivity),
        Requests = s.Requests,
        BytesIn = s.BytesIn,
        BytesOut = s.BytesOut,
        TerminatedBy = s.TerminatedBy ?? "",
        TerminationReason = s.TerminationReason ?? "",
    };

    public static AuditLogEntry ToWire(this AuditRecord a)
    {
        var wire = new AuditLogEntry
        {
            Id = a.Id.ToString(),
            Timestamp = Timestamp.FromDateTimeOffset(a.Timestamp),
            Actor = a.Actor,
            Operation = a.Operation,
            ResourceType = a.ResourceType,
            ResourceId = a.ResourceId,
            Namespace = a.Namespace ?? "",
            RequestId = a.RequestId ?? "",
            Success = a.Success,
            Error = a.Error ?? "",
            StatusCode = a.StatusCode,
            Sequence = a.Sequence,
        };
        wire.ActorGroups.AddRange(a.ActorGroups);
        wire.Metadata.AddAll(a.Metadata);
        return wire;
    }

    public static Backend ToWire(this BackendDefinition b)
    {
        var wire = new Backend { Name = b.Name, Type = b.Type, Endpoint = b.Endpoint };
        wire.Capabilities.AddRange(b.Capabilities);
        return wire;
    }

    public static BackendStatus ToWire(this BackendCheck c) => new()
    {
        Backend = c.Backend.ToWire(),
        Health = c.Health switch
        {
            Backends.Health.BackendHealth.Healthy => V1.BackendHealth.Healthy,
            Backends.Health.BackendHealth.Degraded => V1.BackendHealth.Degraded,
            _ => V1.BackendHealth.Unhealthy,
        },
        LatencyMicros = (long)c.Latency.TotalMicroseconds,
        Error = c.Error ?? "",
        CheckedAt = Timestamp.FromDateTimeOffset(c.CheckedAt),
    };

    public static MaintenanceMode ToWire(this MaintenanceState m) => new()
    {
        Enabled = m.Enabled,
        Message = m.Message,
        SetBy = m.SetBy ?? "",
        SetAt = m.SetAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };

    public static DateTimeOffset? ToOptionalTime(this Timestamp? t) => t?.ToDateTimeOffset();

    public static void AddAll(this MapField<string, string> map, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }
    }

    private static Dictionary<string, string> Copy(MapField<string, string> map) => new(map, StringComparer.Ordinal);
}
