using System.Text.RegularExpressions;
using Prism.Admin.Calls;

namespace Prism.Admin.Namespaces;

/// <summary>Rules for the free-form labels of namespaces and configs.</summary>
internal static partial class Labels
{
    /// <summary>Most labels one resource may carry.</summary>
    public const int MaxCount = 64;

    /// <summary>Throws <see cref="AdminValidationException"/> naming <paramref name="field"/> on a bad label.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> labels, string field)
    {
        if (labels.Count > MaxCount)
        {
            throw new AdminValidationException(field, $"more than {MaxCount} labels");
        }

        foreach (var (key, value) in labels)
        {
            if (!Key().IsMatch(key))
            {
                throw new AdminValidationException(field, $"label key '{NamespaceRules.Truncate(key)}' must be 1-63 characters of a-z, 0-9, '.', '_', '/', '-'");
            }

            if (value.Length > 256)
            {
                throw new AdminValidationException(field, $"label '{key}' has a value longer than 256 characters");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9._/-]{0,62})$")]
    private static partial Regex Key();
}
