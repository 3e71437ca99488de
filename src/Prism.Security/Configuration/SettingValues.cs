using System.Globalization;

namespace Prism.Security.Configuration;

/// <summary>Parsers for the value formats of security settings: lists, durations, client→groups maps.</summary>
public static class SettingValues
{
    /// <summary>Splits a comma-separated list, trimming and dropping empty items.</summary>
    public static IReadOnlyList<string> List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Parses <c>90s</c>, <c>5m</c>, <c>24h</c>, <c>1d</c>, <c>250ms</c>, plain seconds or <c>hh:mm:ss</c>.</summary>
    public static bool TryDuration(string? text, out TimeSpan value)
    {
        value = default;
        var s = text?.Trim() ?? "";
        if (s.Length == 0)
        {
            return false;
        }

        (string number, double scale) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (s[..^2], 0.001),
            _ when s.EndsWith('s') || s.EndsWith('S') => (s[..^1], 1),
            _ when s.EndsWith('m') || s.EndsWith('M') => (s[..^1], 60),
            _ when s.EndsWith('h') || s.EndsWith('H') => (s[..^1], 3600),
            _ when s.EndsWith('d') || s.EndsWith('D') => (s[..^1], 86400),
            _ => (s, 1),
        };

        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            value = TimeSpan.FromSeconds(amount * scale);
            return true;
        }

        return s.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    /// <summary>Parses <c>client=group,group;client2=group</c>.</summary>
    public static bool TryClientGroups(string? text, out IReadOnlyDictionary<string, IReadOnlyList<string>> value)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        value = map;
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var at = entry.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                return false;
            }

            var groups = List(entry[(at + 1)..]);
            if (groups.Count == 0)
            {
                return false;
            }

            map[entry[..at].Trim()] = groups;
        }

        return true;
    }

    /// <summary>Parses <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>/<c>yes</c>/<c>no</c>.</summary>
    public static bool TryBoolean(string? text, out bool value)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "TRUE" or "1" or "YES" or "ON":
                value = true;
                return true;
            case "FALSE" or "0" or "NO" or "OFF" or "" or null:
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
