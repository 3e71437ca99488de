using System.Text.RegularExpressions;
using Prism.Admin.V1;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Prism.Manifests;

/// <summary>A manifest file's text and the name errors call it by (its path, or <c>stdin</c>).</summary>
internal sealed record ManifestInput(string Source, string Text);

/// <summary>
/// The resources of one or more manifest files as one <see cref="ApplyRequest"/>, with where each came
/// from (<c>orders.yaml document 2</c>) keyed by lower-case kind and name.
/// </summary>
internal sealed record Manifest(ApplyRequest Request, IReadOnlyDictionary<(string Kind, string Name), string> Origins);

/// <summary>The outcome of reading manifests: the manifest when there is no error, else every error found.</summary>
internal sealed record ManifestReadResult(Manifest? Manifest, IReadOnlyList<ManifestError> Errors);

/// <summary>
/// Reads multi-document YAML manifests (<c>kind: Backend</c> / <c>kind: Namespace</c>, proto snake_case
/// field names) into one ApplyRequest, validating everything that can be checked without the server.
/// Only <c>${VAR}</c> in backend secrets is expanded from the environment. Compiled into prismctl and the console;
/// the console passes no environment (its own must never reach a backend), so there a <c>${VAR}</c> is an error.
/// </summary>
internal static partial class ManifestReader
{
    /// <summary>The kinds a document may have.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["Backend", "Namespace"];

    /// <summary>The fields of a Namespace document.</summary>
    public static readonly IReadOnlyList<string> NamespaceFields = ["kind", "name", "description", "patterns", "access_groups", "quotas", "queue", "labels", "version"];

    /// <summary>The fields of a Backend document.</summary>
    public static readonly IReadOnlyList<string> BackendFields = ["kind", "name", "type", "description", "settings", "secrets", "labels", "version"];

    /// <summary>The fields of a namespace's queue settings.</summary>
    public static readonly IReadOnlyList<string> QueueFields = ["max_in_flight", "visibility_timeout", "max_retries"];

    /// <summary>The fields of a namespace's quotas.</summary>
    public static readonly IReadOnlyList<string> QuotaFields = ["max_value_bytes", "max_requests_per_second"];

    private static readonly Dictionary<string, string> NamespaceHints = new(StringComparer.Ordinal)
    {
        ["slots"] = "is not a file field (slots are given under patterns: pattern: {slot: instance})",
        ["backends"] = "is not a file field (bind instances under patterns: pattern: {slot: instance})",
    };

    private static readonly Dictionary<string, string> QuotaHints = new(StringComparer.Ordinal)
    {
        ["max_keys"] = "was removed from the API (counting keys costs a backend round trip per write)",
    };

    /// <summary>Reads every input; the manifest is null when any error was found. A null <paramref name="environment"/> expands no <c>${VAR}</c>.</summary>
    public static ManifestReadResult Read(IEnumerable<ManifestInput> inputs, Func<string, string?>? environment)
    {
        var errors = new List<ManifestError>();
        var request = new ApplyRequest();
        var origins = new Dictionary<(string, string), string>();
        foreach (var input in inputs)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(input.Text));
            }
            catch (YamlException e)
            {
                errors.Add(new ManifestError(input.Source, 0, null, null, e.Start.Line, null, "YAML syntax: " + SyntaxMessage(e)));
                continue;
            }

            var number = 0;
            foreach (var document in stream.Documents)
            {
                number++;
                var reader = new DocumentReader(input.Source, number, errors);
                var resource = ReadDocument(reader, document.RootNode, environment);
                if (resource is null || reader.Kind is null || string.IsNullOrEmpty(reader.Name))
                {
                    continue;
                }

                var origin = $"{input.Source} document {number}";
                if (!origins.TryAdd((reader.Kind, reader.Name), origin))
                {
                    reader.Error(document.RootNode, null, $"duplicate of {origins[(reader.Kind, reader.Name)]}; a kind and name may appear once");
                    continue;
                }

                switch (resource)
                {
                    case Backend backend:
                        request.Backends.Add(backend);
                        break;
                    case Namespace ns:
                        request.Namespaces.Add(ns);
                        break;
                }
            }
        }

        return errors.Count > 0 ? new ManifestReadResult(null, errors) : new ManifestReadResult(new Manifest(request, origins), errors);
    }

    /// <summary>
    /// Puts the document a server error is about in front of it: the server starts its messages with
    /// <c>namespace 'orders': </c> or <c>backend 'x': </c>.
    /// </summary>
    public static string Locate(string detail, IReadOnlyDictionary<(string Kind, string Name), string> origins) =>
        ResourcePrefix().Match(detail) is { Success: true } match
            && origins.TryGetValue((match.Groups[1].Value, match.Groups[2].Value), out var origin)
            ? $"{origin}: {detail}"
            : detail;

    private static object? ReadDocument(DocumentReader reader, YamlNode root, Func<string, string?>? environment)
    {
        if (DocumentReader.IsNull(root))
        {
            return null;
        }

        if (root is not YamlMappingNode map)
        {
            reader.Error(root, null, "expected a mapping with kind and name");
            return null;
        }

        var kindNode = Child(map, "kind");
        var kind = kindNode is null ? "" : reader.String(kindNode, "kind");
        if (kind.Length == 0)
        {
            reader.Error(kindNode ?? map, "kind", $"missing; accepted: {string.Join(", ", Kinds)}");
            return null;
        }

        if (!Kinds.Contains(kind, StringComparer.Ordinal))
        {
            reader.Error(kindNode, "kind", $"unknown kind '{kind}'; accepted: {string.Join(", ", Kinds)}");
            return null;
        }

        reader.Kind = kind.ToLowerInvariant();
        var nameNode = Child(map, "name");
        reader.Name = nameNode is null ? "" : reader.String(nameNode, "name");
        if (reader.Name.Length == 0)
        {
            reader.Error(nameNode ?? map, "name", "missing");
        }

        return kind == "Backend" ? ReadBackend(reader, map, environment) : ReadNamespace(reader, map);
    }

    private static Namespace ReadNamespace(DocumentReader reader, YamlMappingNode map)
    {
        var ns = new Namespace { Name = reader.Name ?? "", Quotas = new Quotas() };
        foreach (var (key, value) in reader.Fields(map, "", NamespaceFields, NamespaceHints))
        {
            switch (key)
            {
                case "description":
                    ns.Description = reader.String(value, key);
                    break;
                case "patterns":
                    ReadPatterns(reader, value, ns);
                    break;
                case "access_groups":
                    ns.AccessGroups.Add(reader.StringList(value, key));
                    break;
                case "quotas":
                    ReadQuotas(reader, value, ns.Quotas);
                    break;
                case "queue":
                    ns.Queue = ReadQueue(reader, value);
                    break;
                case "labels":
                    ns.Labels.Add(Map(reader.StringMap(value, key)));
                    break;
                case "version":
                    ns.Version = reader.Integer(value, key, min: 0) ?? 0;
                    break;
            }
        }

        return ns;
    }

    private static void ReadPatterns(DocumentReader reader, YamlNode value, Namespace ns)
    {
        if (value is YamlSequenceNode)
        {
            reader.Error(value, "patterns", "expected a mapping of pattern to slots, got a list (write keyvalue: {store: redis-cache}, or keyvalue: {} for the default backend)");
            return;
        }

        if (reader.Mapping(value, "patterns") is not { } patterns)
        {
            return;
        }

        foreach (var (patternNode, slotsNode) in patterns.Children)
        {
            if (patternNode is not YamlScalarNode { Value: { Length: > 0 } pattern })
            {
                reader.Error(patternNode, "patterns", "pattern names must be non-empty strings");
                continue;
            }

            ns.Patterns.Add(pattern);
            var slots = new PatternSlots();
            foreach (var (slot, instance, node) in reader.StringMap(slotsNode, $"patterns.{pattern}"))
            {
                if (instance.Length == 0)
                {
                    reader.Error(node, $"patterns.{pattern}.{slot}", "expected a backend instance name");
                    continue;
                }

                slots.Bindings[slot] = instance;
            }

            if (slots.Bindings.Count > 0)
            {
                ns.Slots[pattern] = slots;
            }
        }
    }

    private static void ReadQuotas(DocumentReader reader, YamlNode value, Quotas quotas)
    {
        if (reader.Mapping(value, "quotas") is not { } map)
        {
            return;
        }

        foreach (var (key, node) in reader.Fields(map, "quotas.", QuotaFields, QuotaHints))
        {
            if (key == "max_value_bytes")
            {
                quotas.MaxValueBytes = reader.Integer(node, "quotas." + key) ?? 0;
            }
            else
            {
                quotas.MaxRequestsPerSecond = (int)(reader.Integer(node, "quotas." + key, int.MinValue, int.MaxValue) ?? 0);
            }
        }
    }

    private static QueueSettings ReadQueue(DocumentReader reader, YamlNode value)
    {
        var queue = new QueueSettings();
        if (reader.Mapping(value, "queue") is not { } map)
        {
            return queue;
        }

        foreach (var (key, node) in reader.Fields(map, "queue.", QueueFields))
        {
            switch (key)
            {
                case "max_in_flight" when reader.Integer(node, "queue." + key, 1, 10_000) is { } inFlight:
                    queue.MaxInFlight = (int)inFlight;
                    break;
                case "max_retries" when reader.Integer(node, "queue." + key, 0, 1_000) is { } retries:
                    queue.MaxRetries = (int)retries;
                    break;
                case "visibility_timeout":
                    var text = reader.String(node, "queue." + key);
                    if (DurationText.TryParse(text, out var timeout))
                    {
                        queue.VisibilityTimeoutMs = (long)timeout.TotalMilliseconds;
                    }
                    else
                    {
                        reader.Error(node, "queue." + key, $"queue.visibility_timeout {DurationText.Expected}, got '{text}'");
                    }

                    break;
            }
        }

        return queue;
    }

    private static Backend ReadBackend(DocumentReader reader, YamlMappingNode map, Func<string, string?>? environment)
    {
        var backend = new Backend { Name = reader.Name ?? "" };
        foreach (var (key, value) in reader.Fields(map, "", BackendFields))
        {
            switch (key)
            {
                case "type":
                    backend.Type = reader.String(value, key);
                    break;
                case "description":
                    backend.Description = reader.String(value, key);
                    break;
                case "settings":
                    backend.Settings.Add(Map(reader.StringMap(value, key)));
                    break;
                case "secrets":
                    foreach (var (name, secret, node) in reader.StringMap(value, key))
                    {
                        backend.Secrets[name] = Expand(reader, node, $"secrets.{name}", secret, environment);
                    }

                    break;
                case "labels":
                    backend.Labels.Add(Map(reader.StringMap(value, key)));
                    break;
                case "version":
                    backend.Version = reader.Integer(value, key, min: 0) ?? 0;
                    break;
            }
        }

        if (backend.Type.Length == 0)
        {
            reader.Error(Child(map, "type") ?? map, "type", "missing; the backend type (driver), for example redis");
        }

        return backend;
    }

    /// <summary>Replaces each <c>${NAME}</c> with the variable's value; an unset or empty variable is an error.</summary>
    private static string Expand(DocumentReader reader, YamlNode node, string field, string value, Func<string, string?>? environment) =>
        Variable().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            if (environment is null)
            {
                reader.Error(node, field, $"${{{name}}} is expanded by prismctl apply from its environment, not here: write the value itself");
                return "";
            }

            if (environment(name) is { Length: > 0 } found)
            {
                return found;
            }

            reader.Error(node, field, $"environment variable {name} is not set (or is empty)");
            return "";
        });

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static Dictionary<string, string> Map(List<(string Key, string Value, YamlNode Node)> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, _) in pairs)
        {
            map[key] = value;
        }

        return map;
    }

    private static string SyntaxMessage(YamlException e) =>
        PositionPrefix().Replace(e.InnerException is YamlException inner ? inner.Message : e.Message, "");

    [GeneratedRegex(@"^(namespace|backend) '([^']+)': ")]
    private static partial Regex ResourcePrefix();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
