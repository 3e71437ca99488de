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
}
