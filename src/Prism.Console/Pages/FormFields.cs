using Microsoft.AspNetCore.Http;
using Prism.WebConsole.Admin;

namespace Prism.WebConsole.Pages;

/// <summary>Reads the multi-value fields of the console's forms; bad input becomes a failure naming the field and line.</summary>
internal static class FormFields
{
    /// <summary>Thrown for a field the console refuses before calling admin.</summary>
    public sealed class InvalidField(string message) : Exception(message)
    {
        public AdminFailure Failure => new("The request was not valid.", Message, StatusCodes.Status400BadRequest);
    }

    /// <summary>One <c>key=value</c> per line (blank lines skipped). Secret values never appear in the error.</summary>
    public static Dictionary<string, string> Pairs(string? text, string field, bool secret = false)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = (text ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidField($"{field}, line {i + 1}: expected key=value" + (secret ? "" : $", got '{line}'"));
            }

            var key = line[..equals].Trim();
            if (!pairs.TryAdd(key, line[(equals + 1)..].Trim()))
            {
                throw new InvalidField($"{field}, line {i + 1}: key '{key}' is given twice");
            }
        }

        return pairs;
    }

    /// <summary>A comma-separated list.</summary>
    public static string[] List(string? text) => (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An optional whole number; empty is null.</summary>
    public static long? Number(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : long.TryParse(text.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidField($"{field}: '{text.Trim()}' is not a whole number");

    /// <summary>Pairs as the lines of a textarea.</summary>
    public static string Lines(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join("\n", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
