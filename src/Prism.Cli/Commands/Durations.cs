using System.Globalization;
using Prism.Manifests;

namespace Prism.Cli.Commands;

/// <summary>Parses durations (<c>90</c>, <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c>) and points in time (RFC 3339 or a duration ago).</summary>
public static class Durations
{
    /// <summary>A duration; a bare number is seconds.</summary>
    public static TimeSpan Parse(string value, string option) =>
        DurationText.TryParse(value, out var duration) ? duration : throw CliException.Usage($"{option} {DurationText.Expected}, got '{value}'");

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
