using System.Text.Json;
using Prism.Admin.Calls;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Prism.Admin.Configs;

/// <summary>Checks that a config document parses as its declared format.</summary>
internal static class ConfigContent
{
    /// <summary>Throws <see cref="AdminValidationException"/> naming the line when the content does not parse.</summary>
    public static void Validate(string format, string content)
    {
        switch (format)
        {
            case "json":
                try
                {
                    using var _ = JsonDocument.Parse(content);
                }
                catch (JsonException e)
                {
                    throw new AdminValidationException("config.content", $"is not valid JSON (line {e.LineNumber + 1}): {e.Message}");
                }

                break;
            case "yaml":
                try
                {
                    new YamlStream().Load(new StringReader(content));
                }
                catch (YamlException e)
                {
                    throw new AdminValidationException("config.content", $"is not valid YAML (line {e.Start.Line}): {e.Message}");
                }

                break;
            default:
                throw new AdminValidationException("config.format", $"'{format}' is not supported; use yaml or json");
        }
    }
}
