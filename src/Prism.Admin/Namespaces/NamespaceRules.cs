using System.Text.RegularExpressions;
using Prism.Admin.Calls;
using Prism.ControlStore;
using Prism.Backends;

namespace Prism.Admin.Namespaces;

/// <summary>What a valid namespace looks like. Every problem names the field.</summary>
public static partial class NamespaceRules
{
    /// <summary>Data patterns a namespace can offer.</summary>
    public static IReadOnlyList<string> KnownPatterns { get; } = [Patterns.KeyValue, Patterns.PubSub];

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

    /// <summary>Validates and normalises a namespace from a request: default patterns, sorted lists.</summary>
    public static NamespaceRecord Normalise(NamespaceRecord draft, BackendCatalog backends)
    {
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

        foreach (var (pattern, backend) in draft.Backends)
        {
            if (!patterns.Contains(pattern))
            {
                throw new AdminValidationException("namespace.backends", $"binds pattern '{Truncate(pattern)}' that the namespace does not offer");
            }

            var definition = backends.Find(backend)
                ?? throw new AdminValidationException("namespace.backends", $"unknown backend '{Truncate(backend)}'; known: {string.Join(", ", backends.All.Select(b => b.Name))}");
            if (!definition.Supports(pattern))
            {
                throw new AdminValidationException("namespace.backends", $"backend '{backend}' does not offer {pattern}");
            }
        }

        if (draft.AccessGroups.Any(g => string.IsNullOrWhiteSpace(g) || g.Length > 256))
        {
            throw new AdminValidationException("namespace.access_groups", "group names must be 1-256 characters");
        }

        if (draft.Quotas.MaxKeys < 0 || draft.Quotas.MaxValueBytes < 0 || draft.Quotas.MaxRequestsPerSecond < 0)
        {
            throw new AdminValidationException("namespace.quotas", "limits must not be negative");
        }

        Labels.Validate(draft.Labels, "namespace.labels");
        return draft with
        {
            Patterns = [.. patterns.Distinct().Order(StringComparer.Ordinal)],
            AccessGroups = [.. draft.AccessGroups.Distinct().Order(StringComparer.Ordinal)],
        };
    }

    internal static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
