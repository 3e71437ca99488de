using System.Net;
using System.Text.RegularExpressions;
using Prism.Identity.Configuration;

namespace Prism.Identity.Tests;

/// <summary>Reads form fields out of the server-rendered pages, as a browser would submit them.</summary>
internal static partial class HtmlForms
{
    public static string Field(string html, string name) =>
        Fields(html).Single(f => f.Key == name).Value;

    public static List<KeyValuePair<string, string>> Fields(string html) =>
        [.. Input().Matches(html).Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))];

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex Input();
}

/// <summary>Dex config files for tests.</summary>
internal static class DexFiles
{
    /// <summary>The built-in file with one text replacement.</summary>
    public static string BuiltInWith(string find, string replace)
    {
        var text = DexConfigReader.BuiltInText();
        Assert.Contains(find, text, StringComparison.Ordinal);
        return text.Replace(find, replace, StringComparison.Ordinal);
    }
}
