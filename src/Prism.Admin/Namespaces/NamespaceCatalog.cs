using System.Globalization;
using Prism.Admin.Audit;
using Prism.Admin.Backends;
using Prism.Admin.Calls;
using Prism.Backends.Types;
using Prism.ControlStore;

namespace Prism.Admin.Namespaces;

/// <summary>Namespace use cases: validation, slot bindings, ownership fields, versioning and the audit entry of each change.</summary>
internal sealed class NamespaceCatalog(IControlStore store, AuditEntries audit, BackendInstanceCatalog backends, TimeProvider time)
{
    private const string Resource = "namespace";

    /// <summary>One namespace.</summary>
    public async Task<NamespaceRecord> GetAsync(AdminCaller caller, string name, CancellationToken cancellation)
    {
        caller.Touches(Resource, name, name);
        NamespaceRules.RequireName(name, "name");
        return await store.GetNamespaceAsync(name, cancellation) ?? throw new ResourceNotFoundException(Resource, name);
    }

    /// <summary>A page of namespaces ordered by name.</summary>
    public Task<Page<NamespaceRecord>> ListAsync(AdminCaller caller, PageRequest page, CancellationToken cancellation)
    {
        caller.Touches(Resource);
        return store.ListNamespacesAsync(page, cancellation);
    }

    /// <summary>Creates a namespace at version 1, owned by the caller; with <paramref name="validateOnly"/> stores nothing.</summary>
    public async Task<NamespaceRecord> CreateAsync(AdminCaller caller, NamespaceRecord draft, bool validateOnly, CancellationToken cancellation)
    {
        var record = await PrepareCreateAsync(caller, draft, NoPendingBackends, cancellation);
        if (validateOnly)
        {
            return record;
        }

        var created = await store.CreateNamespaceAsync(record, audit.Success(caller), cancellation);
        caller.Audited = true;
        return created;
    }

    /// <summary>Replaces a namespace; <paramref name="draft"/>'s version must be the stored one.</summary>
    public async Task<NamespaceRecord> UpdateAsync(AdminCaller caller, NamespaceRecord draft, bool validateOnly, CancellationToken cancellation)
    {
        if (draft.Version <= 0)
        {
            caller.Touches(Resource, draft.Name, draft.Name);
            throw new AdminValidationException("namespace.version", "is required: send the version you read");
        }

        var (_, record) = await PrepareUpdateAsync(caller, draft, NoPendingBackends, cancellation);
        if (validateOnly)
        {
            return record;
        }

        var updated = await store.UpdateNamespaceAsync(record, audit.Success(caller), cancellation);
        caller.Audited = true;
        return updated;
    }

    /// <summary>Deletes a namespace; version 0 deletes whatever version is stored.</summary>
    public async Task DeleteAsync(AdminCaller caller, string name, long version, CancellationToken cancellation)
    {
        caller.Touches(Resource, name, name);
        NamespaceRules.RequireName(name, "name");
        caller.Metadata["version"] = version.ToString(CultureInfo.InvariantCulture);
        await store.DeleteNamespaceAsync(name, version, audit.Success(caller), cancellation);
        caller.Audited = true;
    }

    /// <summary>The validated record of a new namespace; <paramref name="pending"/> are backend types created in the same apply.</summary>
    internal async Task<NamespaceRecord> PrepareCreateAsync(
        AdminCaller caller, NamespaceRecord draft, IReadOnlyDictionary<string, BackendType> pending, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(draft);
        caller.Touches(Resource, draft.Name, draft.Name);
        var now = time.GetUtcNow();
        var record = await NormaliseAsync(draft, pending, cancellation) with
        {
            Version = 1,
            CreatedBy = caller.Actor,
            CreatedAt = now,
            UpdatedBy = caller.Actor,
            UpdatedAt = now,
        };
        Describe(caller, record);
        return record;
    }

    /// <summary>The stored namespace and its validated replacement. Version 0 accepts any stored version.</summary>
    internal async Task<(NamespaceRecord Current, NamespaceRecord Next)> PrepareUpdateAsync(
        AdminCaller caller, NamespaceRecord draft, IReadOnlyDictionary<string, BackendType> pending, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(draft);
        caller.Touches(Resource, draft.Name, draft.Name);
        var normalised = await NormaliseAsync(draft, pending, cancellation);
        var current = await store.GetNamespaceAsync(draft.Name, cancellation) ?? throw new ResourceNotFoundException(Resource, draft.Name);
        if (draft.Version != 0 && draft.Version != current.Version)
        {
            throw new VersionConflictException(Resource, draft.Name, draft.Version, current.Version);
        }

        var record = normalised with
        {
            Version = current.Version,
            CreatedBy = current.CreatedBy,
            CreatedAt = current.CreatedAt,
            UpdatedBy = caller.Actor,
            UpdatedAt = time.GetUtcNow(),
        };
        Describe(caller, record);
        return (current, record);
    }

    private static readonly IReadOnlyDictionary<string, BackendType> NoPendingBackends = new Dictionary<string, BackendType>();

    private async Task<NamespaceRecord> NormaliseAsync(NamespaceRecord draft, IReadOnlyDictionary<string, BackendType> pending, CancellationToken cancellation)
    {
        var types = new Dictionary<string, BackendType>(pending, StringComparer.Ordinal);
        foreach (var name in draft.BoundInstances.Where(n => !types.ContainsKey(n)))
        {
            if (await backends.FindAsync(name, cancellation) is { } view)
            {
                types[name] = view.Type;
            }
        }

        return NamespaceRules.Normalise(draft, name => types.GetValueOrDefault(name));
    }

    private static void Describe(AdminCaller caller, NamespaceRecord record)
    {
        caller.Metadata["patterns"] = string.Join(",", record.Patterns);
        caller.Metadata["slots"] = string.Join(",", record.Slots.OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => p.Value.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{p.Key}.{s.Key}={s.Value}")));
        caller.Metadata["access_groups"] = string.Join(",", record.AccessGroups);
        if (record.Version > 0)
        {
            caller.Metadata["version"] = record.Version.ToString(CultureInfo.InvariantCulture);
        }
    }
}
