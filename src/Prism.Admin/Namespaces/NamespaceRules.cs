using System.Text.RegularExpressions;
using Prism.Admin.Calls;
using Prism.ControlStore;
using Prism.Backends;
using Prism.Backends.Types;

namespace Prism.Admin.Namespaces;

/// <summary>What a valid namespace looks like. Every problem names the field.</summary>
internal static partial class NamespaceRules
{
    /// <summary>Data patterns a namespace can offer.</summary>
    public static IReadOnlyList<string> KnownPatterns { get; } = [.. Patterns.All.Select(p => p.Name)];

    /// <summary>Throws <see cref="AdminValidationException"/> unless <paramref name="name"/> is a DNS label.</summary>
    public static void RequireName(string name, string field = "namespace.name")
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new AdminValidationException(field, "is required");
        }

        if (!DnsLabel().IsMatch(name))
        {
            throw new AdminValidationException(field, $"'{Truncate(name)}' is not a DNS label (1-63 lowercase letters, digits or '-', starting and ending with a letter or digit)");
        }
    }

    /// <summary>
    /// Validates and normalises a namespace from a request: default patterns, sorted lists, empty slots
    /// dropped. <paramref name="typeOf"/> gives the type of a backend instance, or null for an unknown name.
    /// </summary>
    public static NamespaceRecord Normalise(NamespaceRecord draft, Func<string, BackendType?> typeOf)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(typeOf);
        RequireName(draft.Name);
        if (draft.Description.Length > 1024)
        {
            throw new AdminValidationException("namespace.description", "is longer than 1024 characters");
        }

        var patterns = draft.Patterns.Count == 0 ? KnownPatterns : draft.Patterns;
        foreach (var pattern in patterns.Where(p => !KnownPatterns.Contains(p)))
        {
            throw new AdminValidationException("namespace.patterns", $"unknown pattern '{Truncate(pattern)}'; known: {string.Join(", ", KnownPatterns)}");
        }

        var slots = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (pattern, bindings) in draft.Slots)
        {
            var definition = Patterns.Find(pattern);
            if (definition is null || !patterns.Contains(pattern))
            {
                throw new AdminValidationException("namespace.slots", $"binds pattern '{Truncate(pattern)}' that the namespace does not offer (it offers: {string.Join(", ", patterns)})");
            }

            var bound = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (slot, instance) in bindings.Where(b => b.Value.Length > 0))
            {
                var field = $"namespace.slots.{pattern}.{Truncate(slot)}";
                var slotDefinition = definition.Slot(slot)
                    ?? throw new AdminValidationException(field, $"{pattern} has no slot '{Truncate(slot)}'; slots: {string.Join(", ", definition.Slots.Select(s => s.Name))}");
                var type = typeOf(instance) ?? throw new AdminValidationException(field, $"unknown backend '{Truncate(instance)}'");
                if (!type.Capabilities.Contains(slotDefinition.RequiredCapability))
                {
                    throw new AdminValidationException(field, $"backend '{instance}' ({type.Name}) lacks capability {slotDefinition.RequiredCapability} that slot {slot} needs");
                }

                bound[slot] = instance;
            }

            if (bound.Count > 0)
            {
                slots[pattern] = bound;
            }
        }

        if (draft.AccessGroups.Any(g => string.IsNullOrWhiteSpace(g) || g.Length > 256))
        {
            throw new AdminValidationException("namespace.access_groups", "group names must be 1-256 characters");
        }

        if (draft.Quotas.MaxValueBytes < 0 || draft.Quotas.MaxRequestsPerSecond < 0)
        {
            throw new AdminValidationException("namespace.quotas", "limits must not be negative");
        }

        Labels.Validate(draft.Labels, "namespace.labels");
        ValidateQueue(draft.Queue, slots);
        return draft with
        {
            Patterns = [.. patterns.Distinct().Order(StringComparer.Ordinal)],
            Slots = slots,
            AccessGroups = [.. draft.AccessGroups.Distinct().Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Queue settings in the drivers' ranges; dead letters stay on the message source's backend.</summary>
    private static void ValidateQueue(QueueDefaults queue, Dictionary<string, IReadOnlyDictionary<string, string>> slots)
    {
        if (queue.MaxInFlight is < 1 or > 10_000)
        {
            throw new AdminValidationException("namespace.queue.max_in_flight", $"must be between 1 and 10000, not {queue.MaxInFlight}");
        }

        if (queue.VisibilityTimeout is { } visibility && (visibility < TimeSpan.FromMilliseconds(100) || visibility > TimeSpan.FromHours(12)))
        {
            throw new AdminValidationException("namespace.queue.visibility_timeout_ms", $"must be between 100 and 43200000, not {(long)visibility.TotalMilliseconds}");
        }

        if (queue.MaxRetries is < 0 or > 1_000)
        {
            throw new AdminValidationException("namespace.queue.max_retries", $"must be between 0 and 1000, not {queue.MaxRetries}");
        }

        if (slots.TryGetValue(Patterns.Queue, out var bound) && bound.TryGetValue("dead_letter_queue", out var deadLetters)
            && deadLetters != bound.GetValueOrDefault(Patterns.Find(Patterns.Queue)!.Primary.Name, BuiltInBackendTypes.UnboundSlotInstance))
        {
            throw new AdminValidationException("namespace.slots.queue.dead_letter_queue",
                $"dead letters are kept by the message source's backend: bind '{bound.GetValueOrDefault(Patterns.Find(Patterns.Queue)!.Primary.Name, BuiltInBackendTypes.UnboundSlotInstance)}' or leave the slot empty");
        }
    }

    internal static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
