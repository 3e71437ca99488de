using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Prism.Hosting.Settings;

/// <summary>
/// The one duration format of Prism settings, the way Dex (Go's <c>time.ParseDuration</c>) writes durations:
/// <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1h30m</c>, <c>720h</c>; <c>d</c> (24 h) is also accepted,
/// and <c>0</c> is zero. A bare number other than 0 is refused: its unit would be a guess.
/// </summary>
public static partial class GoDuration
{
    /// <summary>Examples of the format, for error messages.</summary>
    public const string Examples = "such as 500ms, 30s, 5m, 1h or 1h30m (units ms, s, m, h, d)";

    /// <summary>What the format accepts, for error messages.</summary>
    public const string Expected = "a duration " + Examples;

    /// <summary>Parses <paramref name="text"/>; false when it is not a duration. Zero (<c>0</c>, <c>0s</c>) parses.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            return false;
        }

        if (s == "0")
        {
            return true;
        }

        if (!Pattern().IsMatch(s))
        {
            return false;
        }

        try
        {
            foreach (Match part in Part().Matches(s))
            {
                var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                value += part.Groups[2].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    _ => TimeSpan.FromDays(amount),
                };
            }
        }
        catch (OverflowException)
        {
            value = TimeSpan.Zero;
            return false;
        }

        return true;
    }

    /// <summary>Writes <paramref name="value"/> in the format <see cref="TryParse"/> reads: <c>1h30m</c>, <c>500ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        Append((long)value.TotalHours, "h");
        Append(value.Minutes, "m");
        Append(value.Seconds, "s");
        Append(value.Milliseconds, "ms");
        return text.Length == 0 ? "0s" : text.ToString();

        void Append(long amount, string unit)
        {
            if (amount > 0)
            {
                text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
    }

    [GeneratedRegex(@"^(\d+(\.\d+)?(ms|s|m|h|d))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex Part();
}
