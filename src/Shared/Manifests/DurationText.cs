using System.Globalization;

namespace Prism.Manifests;

/// <summary>
/// The duration grammar of prismctl and of manifests (compiled into prismctl and the console):
/// <c>90</c> (seconds), <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c>.
/// </summary>
internal static class DurationText
{
    /// <summary>The words an error about a duration uses: <c>expects a duration like …</c>.</summary>
    public const string Expected = "expects a duration like 30s, 15m, 2h or 1d";

    /// <summary>Parses <paramref name="value"/>; false when it is not a non-negative duration.</summary>
    public static bool TryParse(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var text = value.Trim();
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var number = char.IsLetter(text.LastOrDefault()) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            return false;
        }

        switch (unit)
        {
            case 's': duration = TimeSpan.FromSeconds(amount); return true;
            case 'm': duration = TimeSpan.FromMinutes(amount); return true;
            case 'h': duration = TimeSpan.FromHours(amount); return true;
            case 'd': duration = TimeSpan.FromDays(amount); return true;
            default: return false;
        }
    }
}
