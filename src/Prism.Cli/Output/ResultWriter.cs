using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Spectre.Console;
using Spectre.Console.Rendering;
using YamlDotNet.Serialization;

namespace Prism.Cli.Output;

/// <summary>
/// Prints command results on stdout: a table (or a few lines) for people, or the proto message as
/// JSON/YAML with its proto field names for scripts.
/// </summary>
public sealed class ResultWriter(Terminal terminal, OutputFormat format)
{
    private static readonly JsonFormatter ProtoJson = new(JsonFormatter.Settings.Default
        .WithPreserveProtoFieldNames(true)
        .WithFormatDefaultValues(true));

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly ISerializer Yaml = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    /// <summary>The chosen format.</summary>
    public OutputFormat Format { get; } = format;

    /// <summary>True when results are for people (tables).</summary>
    public bool IsTable => Format == OutputFormat.Table;

    /// <summary>The result console.</summary>
    public IAnsiConsole Console => terminal.Out;

    /// <summary>Prints a proto message (json/yaml) or what <paramref name="table"/> builds.</summary>
    public void Write(IMessage message, Func<IRenderable> table) => Write(ToJson(message), table);

    /// <summary>
    /// Prints a proto message (json), the manifest <paramref name="manifest"/> builds (yaml: a document
    /// <c>prismctl apply</c> takes back) or what <paramref name="table"/> builds.
    /// </summary>
    public void Write(IMessage message, Func<IRenderable> table, Func<string> manifest)
    {
        if (Format == OutputFormat.Yaml)
        {
            terminal.Out.Profile.Out.Writer.Write(manifest());
            return;
        }

        Write(message, table);
    }

    /// <summary>Prints a JSON document (json/yaml) or what <paramref name="table"/> builds.</summary>
    public void Write(JsonNode document, Func<IRenderable> table)
    {
        switch (Format)
        {
            case OutputFormat.Json:
                terminal.Out.Profile.Out.Writer.WriteLine(document.ToJsonString(Indented));
                break;
            case OutputFormat.Yaml:
                terminal.Out.Profile.Out.Writer.Write(Yaml.Serialize(ToPlain(document)));
                break;
            default:
                terminal.Write(table());
                break;
        }
    }

    /// <summary>Prints one line of text (table format only; scripts get the structured result instead).</summary>
    public void Line(string text)
    {
        if (IsTable)
        {
            terminal.Out.Profile.Out.Writer.WriteLine(text);
        }
    }

    /// <summary>Prints one compact JSON line per item (streams in json format).</summary>
    public void JsonLine(IMessage message) => terminal.Out.Profile.Out.Writer.WriteLine(ProtoJson.Format(message));

    /// <summary>A proto message as one compact JSON line (proto field names).</summary>
    public static string JsonLineOf(IMessage message) => ProtoJson.Format(message);

    /// <summary>A proto message as a JSON tree with proto field names and default values.</summary>
    public static JsonNode ToJson(IMessage message) => JsonNode.Parse(ProtoJson.Format(message))!;

    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
