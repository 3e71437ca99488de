using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Prism.Hosting.Settings;

/// <summary>Flattens a YAML settings file into configuration keys (<c>identity: {port: 1}</c> → <c>identity:port</c>).</summary>
public static class YamlSettingsFile
{
    /// <summary>Reads <paramref name="path"/>; a missing or malformed file throws <see cref="ConfigurationException"/> naming the file and line.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"Settings file '{Path.GetFullPath(path)}' named by {CoreSettings.ConfigFile.Display} does not exist.");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = File.OpenText(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"Settings file '{Path.GetFullPath(path)}' line {e.Start.Line}: {OneLine(e.InnerException?.Message ?? e.Message)}", e);
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (stream.Documents.Count > 0)
        {
            Flatten(stream.Documents[0].RootNode, prefix: null, values);
        }

        return values;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void Flatten(YamlNode node, string? prefix, Dictionary<string, string?> values)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, child) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value;
                    Flatten(child, prefix is null ? name : $"{prefix}:{name}", values);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], $"{prefix}:{i.ToString(CultureInfo.InvariantCulture)}", values);
                }

                break;
            case YamlScalarNode scalar when prefix is not null:
                values[prefix] = scalar.Value;
                break;
        }
    }
}
