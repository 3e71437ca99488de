using System.Text.Json;

namespace Prism.ControlStore.Schema;

/// <summary>JSON text for list and map columns: portable between SQLite and PostgreSQL.</summary>
internal static class JsonColumns
{
    public static string Write(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    /// <summary>Map keys are written in ordinal order so equal maps store equal text.</summary>
    public static string Write(IReadOnlyDictionary<string, string> values) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(values.ToDictionary(), StringComparer.Ordinal));

    public static IReadOnlyList<string> ReadList(string json) =>
        JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static IReadOnlyDictionary<string, string> ReadMap(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>The settings that are set, as a JSON object with keys in ordinal order.</summary>
    public static string WriteQueue(QueueDefaults queue)
    {
        var values = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (queue.MaxInFlight is { } inFlight)
        {
            values["max_in_flight"] = inFlight;
        }

        if (queue.MaxRetries is { } retries)
        {
            values["max_retries"] = retries;
        }

        if (queue.VisibilityTimeout is { } visibility)
        {
            values["visibility_timeout_ms"] = (long)visibility.TotalMilliseconds;
        }

        return JsonSerializer.Serialize(values);
    }

    /// <summary>Reads the queue settings; an absent key (and every key of rows from before they existed) is unset.</summary>
    public static QueueDefaults ReadQueue(string json)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? [];
        return new QueueDefaults(
            values.TryGetValue("max_in_flight", out var inFlight) ? (int)inFlight : null,
            values.TryGetValue("visibility_timeout_ms", out var visibility) ? TimeSpan.FromMilliseconds(visibility) : null,
            values.TryGetValue("max_retries", out var retries) ? (int)retries : null);
    }

    /// <summary>Pattern → slot → instance, keys in ordinal order.</summary>
    public static string WriteSlots(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> slots) =>
        JsonSerializer.Serialize(new SortedDictionary<string, SortedDictionary<string, string>>(
            slots.ToDictionary(p => p.Key, p => new SortedDictionary<string, string>(p.Value.ToDictionary(), StringComparer.Ordinal)), StringComparer.Ordinal));

    /// <summary>
    /// Reads pattern → slot → instance. Rows written before slots existed hold pattern → instance,
    /// read as the instance of the pattern's primary slot.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ReadSlots(string json)
    {
        using var document = JsonDocument.Parse(json);
        var slots = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var pattern in document.RootElement.EnumerateObject())
        {
            slots[pattern.Name] = pattern.Value.ValueKind == JsonValueKind.String
                ? new Dictionary<string, string>(StringComparer.Ordinal) { [PrimarySlot(pattern.Name)] = pattern.Value.GetString()! }
                : pattern.Value.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetString() ?? "", StringComparer.Ordinal);
        }

        return slots;
    }

    private static string PrimarySlot(string pattern) => Backends.Patterns.Find(pattern)?.Primary.Name ?? pattern;
}
