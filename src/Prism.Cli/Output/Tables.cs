using System.Globalization;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Prism.Cli.Output;

/// <summary>Small builders and formats for result tables.</summary>
public static class Tables
{
    /// <summary>A table with the given column headers; values are never read as markup.</summary>
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)));
        }

        return table;
    }

    /// <summary>Adds a row of plain-text cells.</summary>
    public static Table Row(this Table table, params string?[] cells)
    {
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? "")).ToArray());
        return table;
    }

    /// <summary>A two-column FIELD/VALUE table for one object.</summary>
    public static Table Fields(params (string Name, string? Value)[] fields)
    {
        var table = Create("FIELD", "VALUE");
        foreach (var (name, value) in fields)
        {
            table.Row(name, value);
        }

        return table;
    }

    /// <summary>A timestamp as RFC 3339 UTC, or empty.</summary>
    public static string Time(Timestamp? value) => value is null ? "" : Time(value.ToDateTimeOffset());

    /// <summary>A date-time as RFC 3339 UTC.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A map as <c>k=v,k2=v2</c>, sorted by key.</summary>
    public static string Map(MapField<string, string> map) =>
        string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>A list as <c>a,b</c>.</summary>
    public static string List(IEnumerable<string> items) => string.Join(",", items);

    /// <summary>A number in invariant culture.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number in invariant culture.</summary>
    public static string Number(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
