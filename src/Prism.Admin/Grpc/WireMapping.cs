using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Prism.ControlStore;
using Prism.Admin.V1;
using Prism.Backends;
using Prism.Backends.Health;
using Prism.Backends.Instances;
using Prism.Admin.Backends;
using Prism.Admin.Calls;
using Prism.Admin.Namespaces;

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
        foreach (var (pattern, slots) in r.Slots)
        {
            var bindings = new PatternSlots();
            bindings.Bindings.AddAll(slots);
            wire.Slots[pattern] = bindings;
            if (Patterns.Find(pattern) is { } definition && r.Binding(pattern, definition.Primary.Name) is { } primary)
            {
                wire.Backends[pattern] = primary;
            }
        }

        wire.AccessGroups.AddRange(r.AccessGroups);
        wire.Labels.AddAll(r.Labels);
        wire.Queue = r.Queue.ToWire();
        return wire;
    }

    public static QueueSettings ToWire(this QueueDefaults q)
    {
        var wire = new QueueSettings();
        if (q.MaxInFlight is { } inFlight)
        {
            wire.MaxInFlight = inFlight;
        }

        if (q.VisibilityTimeout is { } visibility)
        {
            wire.VisibilityTimeoutMs = (long)visibility.TotalMilliseconds;
        }

        if (q.MaxRetries is { } retries)
        {
            wire.MaxRetries = retries;
        }

        return wire;
    }

    public static QueueDefaults ToRecord(this QueueSettings? q) => q is null
        ? QueueDefaults.None
        : new QueueDefaults(
            q.HasMaxInFlight ? q.MaxInFlight : null,
            q.HasVisibilityTimeoutMs ? TimeSpan.FromMilliseconds(q.VisibilityTimeoutMs) : null,
            q.HasMaxRetries ? q.MaxRetries : null);

    public static NamespaceRecord ToRecord(this Namespace? n)
    {
        n ??= new Namespace();
        var quotas = n.Quotas is null ? NamespaceQuotas.Defaults : new NamespaceQuotas(n.Quotas.MaxValueBytes, n.Quotas.MaxRequestsPerSecond);
        return new NamespaceRecord(n.Name, n.Description, [.. n.Patterns], Slots(n), [.. n.AccessGroups], quotas, Copy(n.Labels),
            n.Version, "", default, "", default)
        {
            Queue = n.Queue.ToRecord(),
        };
    }

    /// <summary>
    /// The slots of a request: <c>slots</c>, or the older <c>backends</c> form as each pattern's primary
    /// slot. When both are sent, <c>backends</c> must agree with <c>slots</c>.
    /// </summary>
    private static Dictionary<string, IReadOnlyDictionary<string, string>> Slots(Namespace n)
    {
        var slots = n.Slots.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)Copy(p.Value.Bindings), StringComparer.Ordinal);
        foreach (var (pattern, instance) in n.Backends)
        {
            var primary = Patterns.Find(pattern)?.Primary.Name
                ?? throw new AdminValidationException("namespace.backends", $"unknown pattern '{NamespaceRules.Truncate(pattern)}'; known: {string.Join(", ", NamespaceRules.KnownPatterns)}");
            if (n.Slots.Count == 0)
            {
                slots[pattern] = new Dictionary<string, string>(StringComparer.Ordinal) { [primary] = instance };
            }
            else if (!slots.TryGetValue(pattern, out var bound) || bound.GetValueOrDefault(primary, "") != instance)
            {
                throw new AdminValidationException("namespace.backends", $"{pattern}={NamespaceRules.Truncate(instance)} disagrees with namespace.slots; send only slots");
            }
        }

        return slots;
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

    public static Session ToWire(this SessionRecord s, IEnumerable<LeaseRecord> leases) => new()
    {
        Leases = { leases.Select(l => l.ToWire()) },
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

    public static CredentialLease ToWire(this LeaseRecord l) => new()
    {
        Id = l.Id,
        Backend = l.Backend,
        Principal = l.Principal,
        IssuedAt = Timestamp.FromDateTimeOffset(l.IssuedAt),
        ExpiresAt = Timestamp.FromDateTimeOffset(l.ExpiresAt),
        ProxyId = l.ProxyId,
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
            ClientAddress = a.ClientAddress ?? "",
        };
        wire.ActorGroups.AddRange(a.ActorGroups);
        wire.Metadata.AddAll(a.Metadata);
        return wire;
    }

    public static Backend ToWire(this BackendView b)
    {
        var wire = new Backend
        {
            Name = b.Name,
            Type = b.Type.Name,
            Endpoint = b.Endpoint,
            Source = b.Source == BackendSource.Config ? "config" : "api",
            Description = b.Description,
            Version = b.Version,
            CreatedBy = b.CreatedBy,
            CreatedAt = b.CreatedAt is { } created ? Timestamp.FromDateTimeOffset(created) : null,
            UpdatedBy = b.UpdatedBy,
            UpdatedAt = b.UpdatedAt is { } updated ? Timestamp.FromDateTimeOffset(updated) : null,
        };
        wire.Capabilities.AddRange(b.Type.Capabilities.Order(StringComparer.Ordinal));
        wire.Settings.AddAll(b.Settings);
        wire.SecretsSet.AddRange(b.SecretsSet);
        wire.Labels.AddAll(b.Labels);
        return wire;
    }

    public static BackendDraft ToDraft(this Backend? b)
    {
        b ??= new Backend();
        return new BackendDraft(b.Name, b.Type, b.Description, Copy(b.Settings), Copy(b.Secrets), Copy(b.Labels), b.Version);
    }

    public static BackendStatus ToWire(this BackendCheck c) => new()
    {
        Backend = new Backend
        {
            Name = c.Backend.Name,
            Type = c.Backend.Type.Name,
            Endpoint = c.Backend.Endpoint,
            Source = c.Backend.Spec.Source == BackendSource.Config ? "config" : "api",
            Capabilities = { c.Backend.Type.Capabilities.Order(StringComparer.Ordinal) },
        },
        Health = c.Health switch
        {
            Prism.Backends.Health.BackendHealth.Healthy => V1.BackendHealth.Healthy,
            Prism.Backends.Health.BackendHealth.Degraded => V1.BackendHealth.Degraded,
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
