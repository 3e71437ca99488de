using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Prism.Admin.Audit;
using Prism.Admin.Calls;
using Prism.Admin.Namespaces;
using Prism.ControlStore;

namespace Prism.Admin.Configs;

/// <summary>Config use cases. Content is validated as its format and never written to the audit trail.</summary>
internal sealed class ConfigCatalog(IControlStore store, AuditEntries audit, TimeProvider time)
{
    private const string Resource = "config";

    /// <summary>Largest accepted config document.</summary>
    public const int MaxContentBytes = 256 * 1024;

    /// <summary>One config.</summary>
    public async Task<ConfigRecord> GetAsync(AdminCaller caller, string name, CancellationToken cancellation)
    {
        caller.Touches(Resource, name);
        NamespaceRules.RequireName(name, "name");
        return await store.GetConfigAsync(name, cancellation) ?? throw new ResourceNotFoundException(Resource, name);
    }

    /// <summary>A page of configs ordered by name.</summary>
    public Task<Page<ConfigRecord>> ListAsync(AdminCaller caller, PageRequest page, CancellationToken cancellation)
    {
        caller.Touches(Resource);
        return store.ListConfigsAsync(page, cancellation);
    }

    /// <summary>Creates a config at version 1.</summary>
    public async Task<ConfigRecord> CreateAsync(AdminCaller caller, ConfigRecord draft, CancellationToken cancellation)
    {
        caller.Touches(Resource, draft.Name);
        var now = time.GetUtcNow();
        var record = Validate(caller, draft) with { Version = 1, CreatedBy = caller.Actor, CreatedAt = now, UpdatedBy = caller.Actor, UpdatedAt = now };
        var created = await store.CreateConfigAsync(record, audit.Success(caller), cancellation);
        caller.Audited = true;
        return created;
    }

    /// <summary>Replaces a config; the draft's version must be the stored one.</summary>
    public async Task<ConfigRecord> UpdateAsync(AdminCaller caller, ConfigRecord draft, CancellationToken cancellation)
    {
        caller.Touches(Resource, draft.Name);
        var validated = Validate(caller, draft);
        if (draft.Version <= 0)
        {
            throw new AdminValidationException("config.version", "is required: send the version you read");
        }

        var current = await store.GetConfigAsync(draft.Name, cancellation) ?? throw new ResourceNotFoundException(Resource, draft.Name);
        var record = validated with { CreatedBy = current.CreatedBy, CreatedAt = current.CreatedAt, UpdatedBy = caller.Actor, UpdatedAt = time.GetUtcNow() };
        var updated = await store.UpdateConfigAsync(record, audit.Success(caller), cancellation);
        caller.Audited = true;
        return updated;
    }

    /// <summary>Deletes a config; version 0 deletes whatever version is stored.</summary>
    public async Task DeleteAsync(AdminCaller caller, string name, long version, CancellationToken cancellation)
    {
        caller.Touches(Resource, name);
        NamespaceRules.RequireName(name, "name");
        await store.DeleteConfigAsync(name, version, audit.Success(caller), cancellation);
        caller.Audited = true;
    }

    private static ConfigRecord Validate(AdminCaller caller, ConfigRecord draft)
    {
        NamespaceRules.RequireName(draft.Name, "config.name");
        var format = draft.Format.Length == 0 ? "yaml" : draft.Format.ToLowerInvariant();
        var bytes = Encoding.UTF8.GetByteCount(draft.Content);
        if (bytes > MaxContentBytes)
        {
            throw new AdminValidationException("config.content", $"is {bytes} bytes; the limit is {MaxContentBytes}");
        }

        ConfigContent.Validate(format, draft.Content);
        Labels.Validate(draft.Labels, "config.labels");

        // The audit trail records that the content changed, never the content: it may hold secrets.
        caller.Metadata["format"] = format;
        caller.Metadata["content_bytes"] = bytes.ToString(CultureInfo.InvariantCulture);
        caller.Metadata["content_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(draft.Content)));
        return draft with { Format = format };
    }
}
