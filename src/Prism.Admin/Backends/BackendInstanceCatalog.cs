using Prism.Admin.Audit;
using Prism.Admin.Calls;
using Prism.Admin.Namespaces;
using Prism.Backends;
using Prism.Backends.Health;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.ControlStore;

namespace Prism.Admin.Backends;

/// <summary>
/// Backend instance use cases: the configuration's instances (read-only) and those stored through the
/// API. A create or update tries the connection before anything is stored; secret values never leave
/// this class except towards the store and the connection test.
/// </summary>
internal sealed class BackendInstanceCatalog(IControlStore store, BackendDrivers drivers, BackendHealthChecker health, AuditEntries audit, TimeProvider time)
{
    private const string Resource = "backend";

    /// <summary>Every instance: the configuration's, then the stored ones it does not shadow, by name.</summary>
    public async Task<IReadOnlyList<BackendView>> ListAsync(AdminCaller caller, CancellationToken cancellation)
    {
        caller.Touches(Resource);
        var configured = drivers.Catalog.Configured.Select(View).ToList();
        var stored = (await store.ListBackendsAsync(cancellation)).Where(r => drivers.Catalog.Find(r.Name) is null).Select(View).OfType<BackendView>();
        return [.. configured.Concat(stored).OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    /// <summary>One instance.</summary>
    public async Task<BackendView> GetAsync(AdminCaller caller, string name, CancellationToken cancellation)
    {
        caller.Touches(Resource, name);
        NamespaceRules.RequireName(name, "name");
        return await FindAsync(name, cancellation) ?? throw new ResourceNotFoundException(Resource, name);
    }

    /// <summary>The instance called <paramref name="name"/>, configured or stored, or null.</summary>
    public async Task<BackendView?> FindAsync(string name, CancellationToken cancellation) =>
        drivers.Catalog.Find(name) is { } spec ? View(spec)
        : await store.GetBackendAsync(name, cancellation) is { } record ? View(record)
        : null;

    /// <summary>Creates an instance at version 1 after a successful connection test; with <paramref name="validateOnly"/> stores nothing.</summary>
    public async Task<BackendView> CreateAsync(AdminCaller caller, BackendDraft draft, bool validateOnly, CancellationToken cancellation)
    {
        var record = await PrepareCreateAsync(caller, draft, cancellation);
        if (validateOnly)
        {
            return View(record)!;
        }

        var created = await store.CreateBackendAsync(record, audit.Success(caller), cancellation);
        caller.Audited = true;
        return View(created)!;
    }

    /// <summary>Replaces an instance at the version read; unchanged settings store nothing.</summary>
    public async Task<BackendView> UpdateAsync(AdminCaller caller, BackendDraft draft, bool validateOnly, CancellationToken cancellation)
    {
        if (draft.Version <= 0)
        {
            throw new AdminValidationException("backend.version", "is required: send the version you read");
        }

        var (current, next) = await PrepareUpdateAsync(caller, draft, cancellation);
        if (next is null || validateOnly)
        {
            return View(next ?? current)!;
        }

        var updated = await store.UpdateBackendAsync(next, audit.Success(caller), cancellation);
        caller.Audited = true;
        return View(updated)!;
    }

    /// <summary>Deletes a stored instance that no namespace slot binds.</summary>
    public async Task DeleteAsync(AdminCaller caller, string name, long version, CancellationToken cancellation)
    {
        caller.Touches(Resource, name);
        NamespaceRules.RequireName(name, "name");
        RequireStored(name);
        caller.Metadata["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await store.DeleteBackendAsync(name, version, audit.Success(caller), cancellation);
        caller.Audited = true;
    }

    /// <summary>Health of the named instances (all when none), on this process's connections after reading the store.</summary>
    public async Task<IReadOnlyList<BackendCheck>> StatusAsync(AdminCaller caller, IReadOnlyCollection<string> names, CancellationToken cancellation)
    {
        caller.Touches(Resource, string.Join(",", names));
        await drivers.RefreshAsync(cancellation);
        foreach (var name in names)
        {
            _ = await drivers.ResolveAsync(name, cancellation) ?? throw new ResourceNotFoundException(Resource, name);
        }

        return await health.CheckAsync(names, cancellation);
    }

    /// <summary>
    /// True when <paramref name="draft"/> names an instance of the configuration and describes it as it
    /// is (secrets left out, as <c>get -o yaml</c> writes them): applying it changes nothing.
    /// </summary>
    /// <exception cref="BackendConfiguredException">It names a configured instance but differs from it.</exception>
    internal bool IsConfiguredAsIs(BackendDraft draft)
    {
        if (drivers.Catalog.Find(draft.Name) is not { } spec)
        {
            return false;
        }

        var type = BuiltInBackendTypes.Find(spec.Type)!;
        var (settings, _) = BackendView.Split(type, spec.Values);
        return draft.Type == spec.Type && draft.Secrets.Count == 0 && draft.Description.Length == 0 && draft.Labels.Count == 0 && Same(draft.Settings, settings)
            ? true
            : throw new BackendConfiguredException(draft.Name);
    }

    /// <summary>Validates and tries a new instance; the record to store (version 1).</summary>
    internal async Task<BackendRecord> PrepareCreateAsync(AdminCaller caller, BackendDraft draft, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(draft);
        caller.Touches(Resource, draft.Name);
        if (drivers.Catalog.Find(draft.Name) is not null)
        {
            throw new ResourceAlreadyExistsException(Resource, draft.Name);
        }

        var type = Validate(draft, draft.Secrets);
        Describe(caller, draft.Type, draft.Settings, draft.Secrets);
        await TryConnectAsync(draft.Name, type, draft.Settings, draft.Secrets, cancellation);
        var now = time.GetUtcNow();
        return new BackendRecord(draft.Name, draft.Type, draft.Description, Copy(draft.Settings), Copy(draft.Secrets), Copy(draft.Labels),
            1, caller.Actor, now, caller.Actor, now);
    }

    /// <summary>The stored instance and what to store instead, or null when nothing changes. Version 0 accepts any stored version.</summary>
    internal async Task<(BackendRecord Current, BackendRecord? Next)> PrepareUpdateAsync(AdminCaller caller, BackendDraft draft, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(draft);
        caller.Touches(Resource, draft.Name);
        RequireStored(draft.Name);
        var current = await store.GetBackendAsync(draft.Name, cancellation) ?? throw new ResourceNotFoundException(Resource, draft.Name);
        if (draft.Version != 0 && draft.Version != current.Version)
        {
            throw new VersionConflictException(Resource, draft.Name, draft.Version, current.Version);
        }

        if (draft.Type != current.Type)
        {
            throw new AdminValidationException("backend.type", $"cannot change from {current.Type} to '{NamespaceRules.Truncate(draft.Type)}': create a new instance and move the namespaces' slots to it");
        }

        var secrets = current.Secrets.ToDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in draft.Secrets)
        {
            if (value.Length == 0)
            {
                secrets.Remove(key);
            }
            else
            {
                secrets[key] = value;
            }
        }

        var type = Validate(draft, secrets);
        Describe(caller, draft.Type, draft.Settings, secrets);
        var connectionChanged = !Same(draft.Settings, current.Settings) || !Same(secrets, current.Secrets);
        if (!connectionChanged && draft.Description == current.Description && Same(draft.Labels, current.Labels))
        {
            return (current, null);
        }

        if (connectionChanged)
        {
            await TryConnectAsync(draft.Name, type, draft.Settings, secrets, cancellation);
        }

        var next = current with
        {
            Description = draft.Description,
            Settings = Copy(draft.Settings),
            Secrets = secrets,
            Labels = Copy(draft.Labels),
            Version = current.Version,
            UpdatedBy = caller.Actor,
            UpdatedAt = time.GetUtcNow(),
        };
        return (current, next);
    }

    private static BackendType Validate(BackendDraft draft, IReadOnlyDictionary<string, string> secrets)
    {
        NamespaceRules.RequireName(draft.Name, "backend.name");
        if (draft.Description.Length > 1024)
        {
            throw new AdminValidationException("backend.description", "is longer than 1024 characters");
        }

        Labels.Validate(draft.Labels, "backend.labels");
        var type = BuiltInBackendTypes.Find(draft.Type)
            ?? throw new AdminValidationException("backend.type", $"unknown type '{NamespaceRules.Truncate(draft.Type)}'; known: {string.Join(", ", BuiltInBackendTypes.All.Select(t => t.Name))}");
        foreach (var key in draft.Settings.Keys.Where(k => BackendInstanceRules.IsSecret(type, k)))
        {
            throw new AdminValidationException($"backend.settings.{NamespaceRules.Truncate(key)}", "is secret: send it in secrets, which are never returned");
        }

        foreach (var key in secrets.Keys.Where(k => type.InstanceSettings.Any(s => s.Key == k && !s.Secret)))
        {
            throw new AdminValidationException($"backend.secrets.{key}", "is not secret: send it in settings");
        }

        try
        {
            BackendInstanceRules.Validate(Spec(draft.Name, type, draft.Settings, secrets));
        }
        catch (BackendSpecException e)
        {
            throw new AdminValidationException("backend", e.Message);
        }

        return type;
    }

    private async Task TryConnectAsync(string name, BackendType type, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellation)
    {
        await using var probe = drivers.Open(Spec(name, type, settings, secrets));
        var (_, error) = await health.TryConnectAsync(async ct =>
        {
            await probe.PingAsync(ct);
            if (probe.Credentials.IsDynamic)
            {
                // Dynamic mode: the credential must also be allowed to create per-session principals.
                await probe.CredentialSource!.CheckAsync(ct);
            }
        }, cancellation);
        if (error is not null)
        {
            throw new BackendConnectionException(name, SecretScrubber.Scrub(error, secrets.Values));
        }
    }

    private void RequireStored(string name)
    {
        if (drivers.Catalog.Find(name) is not null)
        {
            throw new BackendConfiguredException(name);
        }
    }

    private static void Describe(AdminCaller caller, string type, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets)
    {
        caller.Metadata["type"] = type;
        caller.Metadata["settings"] = string.Join(",", settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
        caller.Metadata["secrets_set"] = string.Join(",", secrets.Keys.Order(StringComparer.Ordinal));
    }

    private BackendView? View(BackendRecord record)
    {
        var type = BuiltInBackendTypes.Find(record.Type);
        return type is null ? null : BackendView.Of(record, type, Endpoint(type, Spec(record.Name, type, record.Settings, record.Secrets)));
    }

    private static BackendView View(BackendInstanceSpec spec)
    {
        var type = BuiltInBackendTypes.Find(spec.Type)!;
        return BackendView.Of(spec, type, Endpoint(type, spec));
    }

    private static string Endpoint(BackendType type, BackendInstanceSpec spec)
    {
        try
        {
            return type.Endpoint(spec);
        }
        catch (BackendSpecException)
        {
            return "(invalid settings)";
        }
    }

    private static BackendInstanceSpec Spec(string name, BackendType type, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets) =>
        new(name, type.Name, settings.Concat(secrets).ToDictionary(StringComparer.Ordinal), BackendSource.Api);

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var value) && value == e.Value);

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> values) => new(values, StringComparer.Ordinal);
}

/// <summary>The instance is defined by the configuration and cannot be changed through the API (FAILED_PRECONDITION).</summary>
internal sealed class BackendConfiguredException(string name)
    : Exception($"backend '{name}' is defined by the configuration of this admin (config file or PRISM_* settings): change it there");
