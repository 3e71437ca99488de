using System.Globalization;

namespace Prism.Bench;

/// <summary>
/// One line per measured target, <c>summary | bench | measure | value | target |</c>, which <c>make bench</c>
/// collects from every bench's output into one table at the end.
/// </summary>
internal static class Summary
{
    public static void Line(string bench, string measure, double value, string target) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary | {bench} | {measure} | {value:0.00} | {target} |"));
}
