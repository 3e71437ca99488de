using System.Globalization;
using Prism.Admin.Calls;
using Prism.Admin.Namespaces;
using Prism.Backends;
using Prism.Backends.Queue;
using Prism.Backends.Types;
using Prism.ControlStore;

namespace Prism.Admin.Queues;

/// <summary>
/// Dead letters of a namespace's queues: list, inspect, replay and purge, on the backend instance bound
/// to the namespace's <c>queue.message_source</c> slot (the in-process memstore when unbound, as on the
/// proxy). The built-in drivers keep dead letters next to their queue, so that slot serves them.
/// </summary>
internal sealed class DeadLetterCatalog(IControlStore store, BackendDrivers drivers)
{
    /// <summary>Longest queue name accepted.</summary>
    public const int MaxQueueLength = 1024;

    private const string Resource = "queue";

    /// <summary>The instance used when a namespace binds none: the in-process memory store, as on the proxy.</summary>

    /// <summary>At most <paramref name="limit"/> dead letters after <paramref name="after"/>, oldest first, and the last one's id when more follow.</summary>
    public async Task<(IReadOnlyList<DeadLetter> Items, string? LastKey)> ListAsync(
        AdminCaller caller, string @namespace, string queue, int limit, string? after, CancellationToken cancellation)
    {
        var (backend, driver) = await QueueOfAsync(caller, @namespace, queue, cancellation);
        var items = await OnAsync(backend, () => driver.ListDeadLettersAsync(@namespace, queue, after, limit + 1, cancellation));
        return items.Count > limit ? ([.. items.Take(limit)], items[limit - 1].Id) : (items, null);
    }

    /// <summary>One dead letter.</summary>
    public async Task<DeadLetter> GetAsync(AdminCaller caller, string @namespace, string queue, string id, CancellationToken cancellation)
    {
        var (backend, driver) = await QueueOfAsync(caller, @namespace, queue, cancellation);
        RequireId(id);
        caller.Metadata["dead_letter_id"] = id;
        return await OnAsync(backend, () => driver.GetDeadLetterAsync(@namespace, queue, id, cancellation))
            ?? throw new DeadLetterNotFoundException(@namespace, queue, id);
    }

    /// <summary>Puts a dead letter back on its queue as a new message; returns the new message id.</summary>
    public async Task<string> ReplayAsync(AdminCaller caller, string @namespace, string queue, string id, CancellationToken cancellation)
    {
        var (backend, driver) = await QueueOfAsync(caller, @namespace, queue, cancellation);
        RequireId(id);
        caller.Metadata["dead_letter_id"] = id;
        var messageId = await OnAsync(backend, () => driver.ReplayDeadLetterAsync(@namespace, queue, id, cancellation))
            ?? throw new DeadLetterNotFoundException(@namespace, queue, id);
        caller.Metadata["message_id"] = messageId;
        return messageId;
    }

    /// <summary>Removes every dead letter of the queue; returns how many.</summary>
    public async Task<long> PurgeAsync(AdminCaller caller, string @namespace, string queue, CancellationToken cancellation)
    {
        var (backend, driver) = await QueueOfAsync(caller, @namespace, queue, cancellation);
        var purged = await OnAsync(backend, () => driver.PurgeDeadLettersAsync(@namespace, queue, cancellation));
        caller.Metadata["purged"] = purged.ToString(CultureInfo.InvariantCulture);
        return purged;
    }

    /// <summary>Runs a driver call; a failure to reach the engine names the instance (the driver knows only its type).</summary>
    private static async Task<T> OnAsync<T>(string backend, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (BackendUnavailableException e) when (e.BackendName != backend)
        {
            throw e.For(backend);
        }
    }

    private async Task<(string Backend, IQueue Driver)> QueueOfAsync(AdminCaller caller, string @namespace, string queue, CancellationToken cancellation)
    {
        caller.Touches(Resource, queue, @namespace);
        NamespaceRules.RequireName(@namespace, "namespace");
        if (string.IsNullOrEmpty(queue) || queue.Length > MaxQueueLength)
        {
            throw new AdminValidationException("queue", $"a queue name of 1-{MaxQueueLength} characters is required");
        }

        var record = await store.GetNamespaceAsync(@namespace, cancellation) ?? throw new ResourceNotFoundException("namespace", @namespace);
        if (record.Patterns.Count > 0 && !record.Patterns.Contains(Patterns.Queue))
        {
            throw new QueueNotOfferedException(@namespace, record.Patterns);
        }

        var slot = Patterns.Find(Patterns.Queue)!.Primary.Name;
        var name = record.Binding(Patterns.Queue, slot) ?? BuiltInBackendTypes.UnboundSlotInstance;
        caller.Metadata["backend"] = name;

        // Pick up an instance changed since this process last read it, as GetBackendStatus does.
        await drivers.RefreshAsync(cancellation);
        var instance = await drivers.ResolveAsync(name, cancellation)
            ?? throw new BackendUnavailableException(name, BackendFailureCodes.NotConfigured,
                $"bound by namespace '{@namespace}' but defined neither in this admin's configuration nor in the control store");
        return (name, instance.DriversOf(@namespace).Driver(Patterns.Queue) as IQueue
            ?? throw new QueueNotOfferedException(@namespace, $"its {Patterns.Queue}.{slot} backend '{name}' ({instance.Type.Name}) has no queue driver"));
    }

    private static void RequireId(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 256)
        {
            throw new AdminValidationException("id", "a dead letter id of 1-256 characters is required");
        }
    }
}

/// <summary>The namespace does not offer queues (FAILED_PRECONDITION).</summary>
internal sealed class QueueNotOfferedException : Exception
{
    public QueueNotOfferedException(string @namespace, IReadOnlyList<string> offered)
        : base($"namespace '{@namespace}' does not offer the {Patterns.Queue} pattern (it offers: {string.Join(", ", offered)})")
    {
    }

    public QueueNotOfferedException(string @namespace, string reason)
        : base($"namespace '{@namespace}' cannot serve queues: {reason}")
    {
    }
}

/// <summary>No such dead letter on the queue (NOT_FOUND).</summary>
internal sealed class DeadLetterNotFoundException(string @namespace, string queue, string id)
    : Exception($"dead letter '{id}' not found on queue '{queue}' of namespace '{@namespace}'");
