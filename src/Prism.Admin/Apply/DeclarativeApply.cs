using Prism.Admin.Audit;
using Prism.Admin.Backends;
using Prism.Admin.Calls;
using Prism.Admin.Namespaces;
using Prism.Backends.Types;
using Prism.ControlStore;

namespace Prism.Admin.Apply;

/// <summary>What an apply did to one resource.</summary>
internal sealed record ApplyOutcome(string Kind, string Name, string Action, long Version)
{
    /// <summary>Action of a new resource.</summary>
    public const string Created = "created";

    /// <summary>Action of a changed resource.</summary>
    public const string Configured = "configured";

    /// <summary>Action of a resource already in the desired state.</summary>
    public const string Unchanged = "unchanged";
}

/// <summary>
/// Applies backends, then namespaces, as the desired state of their names: each is validated (and each
/// new or changed backend's connection tried) before anything is stored, then every change commits in
/// one transaction with one audit entry per changed resource — or nothing does.
/// </summary>
internal sealed class DeclarativeApply(IControlStore store, BackendInstanceCatalog backends, NamespaceCatalog namespaces, AuditEntries audit)
{
    /// <summary>Validates everything, then stores every change unless <paramref name="validateOnly"/>.</summary>
    /// <exception cref="ApplyItemException">The first resource refused, naming it.</exception>
    public async Task<IReadOnlyList<ApplyOutcome>> ApplyAsync(
        AdminCaller caller, IReadOnlyList<BackendDraft> backendDrafts, IReadOnlyList<NamespaceRecord> namespaceDrafts, bool validateOnly, CancellationToken cancellation)
    {
        caller.Touches("apply");
        caller.Metadata["backends"] = string.Join(",", backendDrafts.Select(b => b.Name));
        caller.Metadata["namespaces"] = string.Join(",", namespaceDrafts.Select(n => n.Name));
        RequireUnique("backend", backendDrafts.Select(b => b.Name));
        RequireUnique("namespace", namespaceDrafts.Select(n => n.Name));

        var outcomes = new List<ApplyOutcome>();
        var changes = new List<StoreChange>();
        var pending = new Dictionary<string, BackendType>(StringComparer.Ordinal);
        foreach (var draft in backendDrafts)
        {
            var item = Item(caller);
            await RunAsync("backend", draft.Name, async () =>
            {
                if (backends.IsConfiguredAsIs(draft))
                {
                    outcomes.Add(new ApplyOutcome("backend", draft.Name, ApplyOutcome.Unchanged, 0));
                }
                else if (await store.GetBackendAsync(draft.Name, cancellation) is null)
                {
                    var record = await backends.PrepareCreateAsync(item, draft, cancellation);
                    Add(changes, outcomes, "backend", record, create: true, item);
                }
                else
                {
                    var (current, next) = await backends.PrepareUpdateAsync(item, draft, cancellation);
                    Add(changes, outcomes, "backend", next ?? current, create: false, next is null ? null : item);
                }

                pending[draft.Name] = BuiltInBackendTypes.Find(draft.Type)!;
            });
        }

        foreach (var draft in namespaceDrafts)
        {
            var item = Item(caller);
            await RunAsync("namespace", draft.Name, async () =>
            {
                if (await store.GetNamespaceAsync(draft.Name, cancellation) is null)
                {
                    Add(changes, outcomes, "namespace", await namespaces.PrepareCreateAsync(item, draft, pending, cancellation), create: true, item);
                }
                else
                {
                    var (current, next) = await namespaces.PrepareUpdateAsync(item, draft, pending, cancellation);
                    Add(changes, outcomes, "namespace", next, create: false, SameState(current, next) ? null : item);
                }
            });
        }

        if (!validateOnly && changes.Count > 0)
        {
            var stored = await store.ApplyAsync(changes, cancellation);
            var versions = stored.ToDictionary(r => (r is BackendRecord ? "backend" : "namespace", r.Name), r => r.Version);
            outcomes = [.. outcomes.Select(o => versions.TryGetValue((o.Kind, o.Name), out var version) ? o with { Version = version } : o)];
        }

        return outcomes;
    }

    private void Add(List<StoreChange> changes, List<ApplyOutcome> outcomes, string kind, IVersionedRecord record, bool create, AdminCaller? changed)
    {
        if (changed is null)
        {
            outcomes.Add(new ApplyOutcome(kind, record.Name, ApplyOutcome.Unchanged, record.Version));
            return;
        }

        changes.Add(new StoreChange(record, create, audit.Success(changed)));
        outcomes.Add(new ApplyOutcome(kind, record.Name, create ? ApplyOutcome.Created : ApplyOutcome.Configured, create ? 1 : record.Version + 1));
    }

    /// <summary>A caller for one resource of the apply: same actor and request, its own resource and details in the audit entry.</summary>
    private static AdminCaller Item(AdminCaller caller) => new(caller.Principal, caller.RequestId, caller.Operation);

    private static async Task RunAsync(string kind, string name, Func<Task> prepare)
    {
        try
        {
            await prepare();
        }
        catch (Exception e) when (e is AdminValidationException or StoreException or BackendConnectionException or BackendConfiguredException)
        {
            throw new ApplyItemException(kind, name, e);
        }
    }

    private static void RequireUnique(string kind, IEnumerable<string> names)
    {
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new AdminValidationException(kind + "s", $"{kind} '{NamespaceRules.Truncate(duplicate.Key)}' appears more than once");
        }
    }

    private static bool SameState(NamespaceRecord a, NamespaceRecord b) =>
        a.Description == b.Description
        && a.Patterns.SequenceEqual(b.Patterns)
        && a.AccessGroups.SequenceEqual(b.AccessGroups)
        && a.Quotas == b.Quotas
        && a.Queue == b.Queue
        && SameMap(a.Labels, b.Labels)
        && a.Slots.Count == b.Slots.Count
        && a.Slots.All(p => b.Slots.TryGetValue(p.Key, out var slots) && SameMap(p.Value, slots));

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var value) && value == e.Value);
}

/// <summary>One resource of an apply was refused; the status is the inner failure's, the message names the resource.</summary>
internal sealed class ApplyItemException(string kind, string name, Exception inner) : Exception($"{kind} '{name}': {inner.Message}", inner);
