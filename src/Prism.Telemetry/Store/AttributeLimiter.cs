namespace Prism.Telemetry.Store;

/// <summary>Applies the attribute count and length limits to incoming data.</summary>
public sealed class AttributeLimiter(StoreLimits limits)
{
    /// <summary>Marker appended to a truncated value.</summary>
    public const string Ellipsis = "…";

    /// <summary>The first <see cref="StoreLimits.MaxAttributes"/> attributes, values truncated; <paramref name="dropped"/> counts the rest.</summary>
    public IReadOnlyList<Attribute> Limit(IEnumerable<Attribute> attributes, out int dropped)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var kept = new List<Attribute>();
        dropped = 0;
        foreach (var attribute in attributes)
        {
            if (kept.Count < limits.MaxAttributes)
            {
                kept.Add(attribute with { Key = Truncate(attribute.Key), Value = Truncate(attribute.Value) });
            }
            else
            {
                dropped++;
            }
        }

        return kept;
    }

    /// <summary><paramref name="value"/> cut to <see cref="StoreLimits.MaxAttributeLength"/> characters.</summary>
    public string Truncate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= limits.MaxAttributeLength ? value : value[..limits.MaxAttributeLength] + Ellipsis;
    }
}
