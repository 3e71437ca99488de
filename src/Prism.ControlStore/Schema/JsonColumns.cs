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
