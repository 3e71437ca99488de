using Prism.Admin.Audit;
using Prism.Admin.Calls;
using Prism.ControlStore;
using Prism.Backends;

namespace Prism.Admin.Namespaces;

/// <summary>Namespace use cases: validation, ownership fields, versioning and the audit entry of each change.</summary>
public sealed class NamespaceCatalog(IControlStore store, AuditEntries audit, BackendCatalog backends, TimeProvider time)
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

    /// <summary>Creates a namespace at version 1, owned by the caller.</summary>
    public async Task<NamespaceRecord> CreateAsync(AdminCaller caller, NamespaceRecord draft, CancellationToken cancellation)
    {
        caller.Touches(Resource, draft.Name, draft.Name);
        var now = time.GetUtcNow();
        var record = NamespaceRules.Normalise(draft, backends) with
        {
            Version = 1,
            CreatedBy = caller.Actor,
            CreatedAt = now,
            UpdatedBy = caller.Actor,
            UpdatedAt = now,
        };
        Describe(caller, record);
        var created = await store.CreateNamespaceAsync(record, audit.Success(caller), cancellation);
        caller.Audited = true;
        return created;
    }

    /// <summary>Replaces a namespace; <paramref name="draft"/>'s version must be the stored one.</summary>
    public async Task<NamespaceRecord> UpdateAsync(AdminCaller caller, NamespaceRecord draft, CancellationToken cancellation)
    {
        caller.Touches(Resource, draft.Name, draft.Name);
        var normalised = NamespaceRules.Normalise(draft, backends);
        if (draft.Version <= 0)
        {
            throw new AdminValidationException("namespace.version", "is required: send the version you read");
        }

        var current = await store.GetNamespaceAsync(draft.Name, cancellation) ?? throw new ResourceNotFoundException(Resource, draft.Name);
        var record = normalised with
        {
            CreatedBy = current.CreatedBy,
            CreatedAt = current.CreatedAt,
            UpdatedBy = caller.Actor,
            UpdatedAt = time.GetUtcNow(),
        };
        Describe(caller, record);
        var updated = await store.UpdateNamespaceAsync(record, audit.Success(caller), cancellation);
        caller.Audited = true;
        return updated;
    }

    /// <summary>Deletes a namespace; version 0 deletes whatever version is stored.</summary>
    public async Task DeleteAsync(AdminCaller caller, string name, long version, CancellationToken cancellation)
    {
        caller.Touches(Resource, name, name);
        NamespaceRules.RequireName(name, "name");
        caller.Metadata["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await store.DeleteNamespaceAsync(name, version, audit.Success(caller), cancellation);
        caller.Audited = true;
    }

    private static void Describe(AdminCaller caller, NamespaceRecord record)
    {
        caller.Metadata["patterns"] = string.Join(",", record.Patterns);
        caller.Metadata["backends"] = string.Join(",", record.Backends.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={b.Value}"));
        caller.Metadata["access_groups"] = string.Join(",", record.AccessGroups);
        if (record.Version > 0)
        {
            caller.Metadata["version"] = record.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
