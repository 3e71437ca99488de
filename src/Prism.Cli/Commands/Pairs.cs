namespace Prism.Cli.Commands;

/// <summary>Parses repeatable <c>key=value</c> option values.</summary>
public static class Pairs
{
    /// <summary>
    /// The pairs of <paramref name="values"/>; a value without '=' or with an empty key is a usage error,
    /// which quotes the value unless it is <paramref name="secret"/>.
    /// </summary>
    public static Dictionary<string, string> Parse(IEnumerable<string>? values, string option, bool secret = false)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage(secret ? $"{option} expects key=value (the value given is not shown)" : $"{option} expects key=value, got '{value}'");
            }

            pairs[value[..equals].Trim()] = value[(equals + 1)..].Trim();
        }

        return pairs;
    }

    /// <summary>Adds or replaces each pair of <paramref name="pairs"/> in <paramref name="map"/>, keeping its other entries.</summary>
    public static void SetAll(this Google.Protobuf.Collections.MapField<string, string> map, Dictionary<string, string> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }
    }
}
