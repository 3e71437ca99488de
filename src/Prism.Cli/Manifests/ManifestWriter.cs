using Google.Protobuf.Collections;
using Prism.Admin.V1;
using Prism.Cli.Output;
using YamlDotNet.Serialization;

namespace Prism.Cli.Manifests;

/// <summary>
/// Writes namespaces and backends as manifest documents in the format <see cref="Prism.Manifests.ManifestReader"/> reads,
/// so that applying the output unchanged reports <c>unchanged</c>. Output-only fields (who changed it and
/// when, endpoint, capabilities, which secrets are set) become YAML comments; secret values are never
/// returned by the server and never written.
/// </summary>
internal static class ManifestWriter
{
    private static readonly ISerializer Yaml = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    /// <summary>One Namespace document.</summary>
    public static string Document(Namespace ns)
    {
        var document = new Dictionary<string, object> { ["kind"] = "Namespace", ["name"] = ns.Name };
        if (ns.Description.Length > 0)
        {
            document["description"] = ns.Description;
        }

        var patterns = new Dictionary<string, object>();
        foreach (var pattern in ns.Patterns.Concat(ns.Slots.Keys.Order(StringComparer.Ordinal)).Distinct())
        {
            patterns[pattern] = ns.Slots.TryGetValue(pattern, out var slots) ? Sorted(slots.Bindings) : new Dictionary<string, string>();
        }

        if (patterns.Count > 0)
        {
            document["patterns"] = patterns;
        }

        if (ns.AccessGroups.Count > 0)
        {
            document["access_groups"] = ns.AccessGroups.ToList();
        }

        var quotas = new Dictionary<string, object>();
        if (ns.Quotas is { MaxValueBytes: not 0 } q1)
        {
            quotas["max_value_bytes"] = q1.MaxValueBytes;
        }

        if (ns.Quotas is { MaxRequestsPerSecond: not 0 } q2)
        {
            quotas["max_requests_per_second"] = q2.MaxRequestsPerSecond;
        }

        if (quotas.Count > 0)
        {
            document["quotas"] = quotas;
        }

        var queue = new Dictionary<string, object>();
        if (ns.Queue is { HasMaxInFlight: true } q3)
        {
            queue["max_in_flight"] = q3.MaxInFlight;
        }

        if (ns.Queue is { HasVisibilityTimeoutMs: true } q4)
        {
            queue["visibility_timeout"] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{q4.VisibilityTimeoutMs / 1000.0:0.###}s");
        }

        if (ns.Queue is { HasMaxRetries: true } q5)
        {
            queue["max_retries"] = q5.MaxRetries;
        }

        if (queue.Count > 0)
        {
            document["queue"] = queue;
        }

        AddCommon(document, ns.Labels, ns.Version);
        return Comments(Changed(ns.CreatedBy, ns.CreatedAt, ns.UpdatedBy, ns.UpdatedAt)) + Yaml.Serialize(document);
    }

    /// <summary>One Backend document, without secrets.</summary>
    public static string Document(Backend backend)
    {
        var document = new Dictionary<string, object> { ["kind"] = "Backend", ["name"] = backend.Name, ["type"] = backend.Type };
        if (backend.Description.Length > 0)
        {
            document["description"] = backend.Description;
        }

        if (backend.Settings.Count > 0)
        {
            document["settings"] = Sorted(backend.Settings);
        }

        AddCommon(document, backend.Labels, backend.Version);
        var comments = new List<string?>
        {
            backend.SecretsSet.Count > 0 ? $"secrets set (write-only, kept unless named under secrets): {string.Join(", ", backend.SecretsSet)}" : null,
            backend.Source.Length > 0 ? $"source: {backend.Source}" : null,
            backend.Endpoint.Length > 0 ? $"endpoint: {backend.Endpoint}" : null,
            backend.Capabilities.Count > 0 ? $"capabilities: {string.Join(", ", backend.Capabilities)}" : null,
            Changed(backend.CreatedBy, backend.CreatedAt, backend.UpdatedBy, backend.UpdatedAt),
        };
        return Comments([.. comments]) + Yaml.Serialize(document);
    }

    /// <summary>Documents as one multi-document stream, each starting with <c>---</c>.</summary>
    public static string Stream(IEnumerable<string> documents) => string.Concat(documents.Select(d => "---\n" + d));

    private static void AddCommon(Dictionary<string, object> document, MapField<string, string> labels, long version)
    {
        if (labels.Count > 0)
        {
            document["labels"] = Sorted(labels);
        }

        if (version != 0)
        {
            document["version"] = version;
        }
    }

    private static SortedDictionary<string, string> Sorted(MapField<string, string> map) => new(map, StringComparer.Ordinal);

    private static string? Changed(string createdBy, Google.Protobuf.WellKnownTypes.Timestamp? createdAt, string updatedBy, Google.Protobuf.WellKnownTypes.Timestamp? updatedAt)
    {
        var parts = new List<string>();
        if (createdAt is not null)
        {
            parts.Add($"created {Tables.Time(createdAt)} by {createdBy}");
        }

        if (updatedAt is not null)
        {
            parts.Add($"updated {Tables.Time(updatedAt)} by {updatedBy}");
        }

        return parts.Count > 0 ? string.Join("; ", parts) : null;
    }

    private static string Comments(params string?[] lines) =>
        string.Concat(lines.Where(l => !string.IsNullOrEmpty(l)).Select(l => "# " + l!.ReplaceLineEndings(" ") + "\n"));
}
