using System.CommandLine;
using Prism.Admin.V1;

namespace Prism.Cli.Commands;

/// <summary>
/// The field options of <c>namespace create</c> and <c>namespace update</c>. They add and remove, never
/// replace: <c>--label k=v</c> adds or replaces one label and keeps the others, <c>--pattern p</c> adds a
/// pattern and keeps the others with their slots. Removals apply before additions.
/// </summary>
public sealed class NamespaceOptions
{
    private readonly Option<string?> _description = new("--description") { Description = "Description" };
    private readonly Option<string[]> _patterns = new("--pattern") { Description = "Offer a data pattern, e.g. keyvalue, pubsub (repeatable; the default backend unless a slot is bound)" };
    private readonly Option<string[]> _slots = new("--slot") { Description = "Bind a slot to a backend instance as pattern.slot=instance, e.g. keyvalue.store=redis-cache (repeatable; adds the pattern)" };
    private readonly Option<string[]> _backends = new("--backend") { Description = "Older form of --slot: pattern=instance binds the pattern's primary slot (repeatable)" };
    private readonly Option<string[]> _accessGroups = new("--access-group") { Description = "Add a group allowed on the data plane (repeatable)" };
    private readonly Option<string[]> _labels = new("--label") { Description = "Add or replace a label as key=value (repeatable)" };
    private readonly Option<long?> _maxValueBytes = new("--max-value-bytes") { Description = "Quota: largest value in bytes (0: server default)" };
    private readonly Option<int?> _maxRequestsPerSecond = new("--max-rps") { Description = "Quota: most requests per second (0: server default)" };
    private readonly Option<int?> _queueMaxInFlight = new("--queue-max-in-flight") { Description = "Queue: most unsettled messages one group member holds (1-10000; default 16)" };
    private readonly Option<string?> _queueVisibility = new("--queue-visibility-timeout") { Description = "Queue: how long a delivered message stays with its member, e.g. 30s (default 30s)" };
    private readonly Option<int?> _queueMaxRetries = new("--queue-max-retries") { Description = "Queue: failed deliveries retried before a dead letter (0-1000; default 5)" };
    private readonly Option<string[]> _removePatterns = new("--remove-pattern") { Description = "Stop offering a pattern; its slots go with it (repeatable)" };
    private readonly Option<string[]> _removeSlots = new("--remove-slot") { Description = "Unbind a slot as pattern.slot, e.g. keyvalue.store (repeatable)" };
    private readonly Option<string[]> _removeAccessGroups = new("--remove-access-group") { Description = "Remove an access group (repeatable)" };
    private readonly Option<string[]> _removeLabels = new("--remove-label") { Description = "Remove the label with this key (repeatable)" };

    /// <summary>Adds the options to <paramref name="command"/>; the removing ones only for updates.</summary>
    public void AddTo(Command command, bool update)
    {
        foreach (var option in new Option[] { _description, _patterns, _slots, _backends, _accessGroups, _labels, _maxValueBytes, _maxRequestsPerSecond,
            _queueMaxInFlight, _queueVisibility, _queueMaxRetries })
        {
            command.Options.Add(option);
        }

        if (update)
        {
            foreach (var option in new Option[] { _removePatterns, _removeSlots, _removeAccessGroups, _removeLabels })
            {
                command.Options.Add(option);
            }
        }
    }

    /// <summary>
    /// Applies the given options to <paramref name="ns"/> (as read from the server for an update, or new).
    /// <c>backends</c>, the older form the server derives from <c>slots</c>, is dropped when the namespace
    /// has slots, so the request never disagrees with itself.
    /// </summary>
    public void Apply(ParseResult parse, Namespace ns)
    {
        ns.Quotas ??= new Quotas();
        if (ns.Slots.Count > 0)
        {
            ns.Backends.Clear();
        }

        if (parse.GetValue(_description) is { } description)
        {
            ns.Description = description;
        }

        foreach (var pattern in Values(parse, _removePatterns))
        {
            ns.Patterns.Remove(pattern);
            ns.Slots.Remove(pattern);
            ns.Backends.Remove(pattern);
        }

        foreach (var (pattern, slot) in Values(parse, _removeSlots).Select(v => SlotKey(v, "--remove-slot", v)))
        {
            if (ns.Slots.TryGetValue(pattern, out var bindings) && bindings.Bindings.Remove(slot) && bindings.Bindings.Count == 0)
            {
                ns.Slots.Remove(pattern);
            }
        }

        foreach (var group in Values(parse, _removeAccessGroups))
        {
            ns.AccessGroups.Remove(group);
        }

        foreach (var key in Values(parse, _removeLabels))
        {
            ns.Labels.Remove(key);
        }

        foreach (var pattern in Values(parse, _patterns))
        {
            AddPattern(ns, pattern);
        }

        foreach (var (pattern, instance) in Pairs.Parse(parse.GetValue(_backends), "--backend"))
        {
            BindPrimary(ns, pattern, instance);
        }

        foreach (var (key, instance) in Pairs.Parse(parse.GetValue(_slots), "--slot"))
        {
            var (pattern, slot) = SlotKey(key, "--slot", $"{key}={instance}");
            if (instance.Length == 0)
            {
                throw CliException.Usage($"--slot expects pattern.slot=instance, got '{key}='");
            }

            AddPattern(ns, pattern);
            if (!ns.Slots.TryGetValue(pattern, out var bindings))
            {
                ns.Slots[pattern] = bindings = new PatternSlots();
            }

            bindings.Bindings[slot] = instance;
        }

        foreach (var group in Values(parse, _accessGroups))
        {
            if (!ns.AccessGroups.Contains(group))
            {
                ns.AccessGroups.Add(group);
            }
        }

        ns.Labels.SetAll(Pairs.Parse(parse.GetValue(_labels), "--label"));
        ns.Quotas.MaxValueBytes = parse.GetValue(_maxValueBytes) ?? ns.Quotas.MaxValueBytes;
        ns.Quotas.MaxRequestsPerSecond = parse.GetValue(_maxRequestsPerSecond) ?? ns.Quotas.MaxRequestsPerSecond;
        ns.Queue ??= new QueueSettings();
        if (parse.GetValue(_queueMaxInFlight) is { } inFlight)
        {
            ns.Queue.MaxInFlight = inFlight;
        }

        if (parse.GetValue(_queueVisibility) is { } visibility)
        {
            ns.Queue.VisibilityTimeoutMs = (long)Durations.Parse(visibility, "--queue-visibility-timeout").TotalMilliseconds;
        }

        if (parse.GetValue(_queueMaxRetries) is { } retries)
        {
            ns.Queue.MaxRetries = retries;
        }
    }

    private static void AddPattern(Namespace ns, string pattern)
    {
        if (!ns.Patterns.Contains(pattern))
        {
            ns.Patterns.Add(pattern);
        }
    }

    /// <summary>
    /// <c>--backend pattern=instance</c>: with slots, rebinds the pattern's only slot (the CLI does not
    /// know which slot is primary when there are several); without, sets the older <c>backends</c> entry.
    /// </summary>
    private static void BindPrimary(Namespace ns, string pattern, string instance)
    {
        AddPattern(ns, pattern);
        if (ns.Slots.TryGetValue(pattern, out var slots) && slots.Bindings.Count > 0)
        {
            if (slots.Bindings.Count > 1)
            {
                throw CliException.Usage($"pattern {pattern} has slots {string.Join(", ", slots.Bindings.Keys)}; bind one with --slot {pattern}.SLOT={instance}");
            }

            slots.Bindings[slots.Bindings.Keys.Single()] = instance;
            return;
        }

        ns.Backends[pattern] = instance;
    }

    private static (string Pattern, string Slot) SlotKey(string key, string option, string given)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < key.Length - 1
            ? (key[..dot].Trim(), key[(dot + 1)..].Trim())
            : throw CliException.Usage($"{option} expects pattern.slot{(option == "--slot" ? "=instance" : "")}, got '{given}'");
    }

    private static string[] Values(ParseResult parse, Option<string[]> option) => parse.GetValue(option) ?? [];
}
