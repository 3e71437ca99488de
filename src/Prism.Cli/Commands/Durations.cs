using System.Globalization;

namespace Prism.Cli.Commands;

/// <summary>Parses durations (<c>90</c>, <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c>) and points in time (RFC 3339 or a duration ago).</summary>
public static class Durations
{
    /// <summary>A duration; a bare number is seconds.</summary>
    public static TimeSpan Parse(string value, string option)
    {
        var text = value.Trim();
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var number = char.IsLetter(text.LastOrDefault()) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            throw CliException.Usage($"{option} expects a duration like 30s, 15m, 2h or 1d, got '{value}'");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => throw CliException.Usage($"{option} expects a duration like 30s, 15m, 2h or 1d, got '{value}'"),
        };
    }

    /// <summary>An RFC 3339 time, or a duration meaning that long before <paramref name="now"/>.</summary>
    public static DateTimeOffset PointInTime(string value, DateTimeOffset now, string option)
    {
        if (value.Contains('T', StringComparison.OrdinalIgnoreCase) || value.Contains('-', StringComparison.Ordinal))
        {
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw CliException.Usage($"{option} expects an RFC 3339 time (2025-10-09T11:00:00Z) or a duration ago (15m, 2h), got '{value}'");
        }

        return now - Parse(value, option);
    }
}
