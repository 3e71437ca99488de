using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Prism.Manifests;

/// <summary>
/// Reads the fields of one manifest document, collecting every error instead of stopping at the first.
/// Messages name the field by its dotted path and never quote a value (it may be a secret).
/// </summary>
internal sealed class DocumentReader(string source, int document, List<ManifestError> errors)
{
    /// <summary>Fields that the server returns but never reads, with the reason given when a file names them.</summary>
    private static readonly Dictionary<string, string> OutputOnly = new(StringComparer.Ordinal)
    {
        ["created_by"] = "is output only",
        ["created_at"] = "is output only",
        ["updated_by"] = "is output only",
        ["updated_at"] = "is output only",
        ["endpoint"] = "is output only",
        ["capabilities"] = "is output only",
        ["secrets_set"] = "is output only",
        ["source"] = "is output only",
    };

    /// <summary>The file (or <c>stdin</c>).</summary>
    public string Source { get; } = source;

    /// <summary>1-based number of the document in its file.</summary>
    public int Document { get; } = document;

    /// <summary>The document's kind in lower case, once known.</summary>
    public string? Kind { get; set; }

    /// <summary>The document's name, once known.</summary>
    public string? Name { get; set; }

    /// <summary>Records an error at <paramref name="node"/>.</summary>
    public void Error(YamlNode? node, string? field, string reason) =>
        errors.Add(new ManifestError(Source, Document, Kind, Name, node is null ? null : node.Start.Line, field, reason));

    /// <summary>
    /// The entries of <paramref name="map"/> whose keys are in <paramref name="accepted"/>; every other key is an
    /// error that lists the accepted ones (and the closest, when it looks misspelt).
    /// </summary>
    public IEnumerable<(string Key, YamlNode Value)> Fields(YamlMappingNode map, string prefix, IReadOnlyList<string> accepted, IReadOnlyDictionary<string, string>? hints = null)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(keyNode, prefix.TrimEnd('.'), "field names must be strings");
                continue;
            }

            if (accepted.Contains(key, StringComparer.Ordinal))
            {
                yield return (key, value);
                continue;
            }

            var reason = hints?.GetValueOrDefault(key) ?? OutputOnly.GetValueOrDefault(key) ?? "unknown field";
            if (Closest(key, accepted) is { } suggestion)
            {
                reason += $" (did you mean '{suggestion}'?)";
            }

            Error(keyNode, prefix + key, $"{reason}; accepted: {string.Join(", ", accepted)}");
        }
    }

    /// <summary>A mapping, or null (and an error) for anything else; an empty value is an empty mapping.</summary>
    public YamlMappingNode? Mapping(YamlNode node, string field)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        if (IsNull(node))
        {
            return new YamlMappingNode();
        }

        Error(node, field, $"expected a mapping, got {Describe(node)}");
        return null;
    }

    /// <summary>A string; an empty value is "".</summary>
    public string String(YamlNode node, string field)
    {
        if (node is YamlScalarNode scalar)
        {
            return IsNull(node) ? "" : scalar.Value ?? "";
        }

        Error(node, field, $"expected a string, got {Describe(node)}");
        return "";
    }

    /// <summary>A 64-bit integer in <paramref name="min"/>..<paramref name="max"/>, or null (and an error).</summary>
    public long? Integer(YamlNode node, string field, long min = long.MinValue, long max = long.MaxValue)
    {
        if (node is YamlScalarNode { Value: { } text } && !IsNull(node)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Error(node, field, $"must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        Error(node, field, node is YamlScalarNode ? "expected an integer" : $"expected an integer, got {Describe(node)}");
        return null;
    }

    /// <summary>A list of strings; an empty value is an empty list.</summary>
    public List<string> StringList(YamlNode node, string field)
    {
        var items = new List<string>();
        if (IsNull(node))
        {
            return items;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, field, $"expected a list of strings, got {Describe(node)}");
            return items;
        }

        var index = 0;
        foreach (var item in sequence)
        {
            items.Add(String(item, $"{field}[{index++}]"));
        }

        return items;
    }

    /// <summary>A map of string to string; an empty value is an empty map.</summary>
    public List<(string Key, string Value, YamlNode Node)> StringMap(YamlNode node, string field)
    {
        var pairs = new List<(string, string, YamlNode)>();
        if (Mapping(node, field) is not { } map)
        {
            return pairs;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Error(keyNode, field, "keys must be non-empty strings");
                continue;
            }

            pairs.Add((key, String(value, $"{field}.{key}"), value));
        }

        return pairs;
    }

    /// <summary>Whether <paramref name="node"/> is an empty value (nothing, <c>~</c> or <c>null</c>, unquoted).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "an empty value",
        _ => "a scalar",
    };

    private static string? Closest(string key, IReadOnlyList<string> accepted)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in accepted)
        {
            var distance = Distance(key.ToLowerInvariant().Replace('-', '_'), candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(1, key.Length / 4) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
