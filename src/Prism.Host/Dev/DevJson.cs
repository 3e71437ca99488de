using System.Text.Json;

namespace Prism.Host.Dev;

/// <summary>The <c>-o json</c> output of dev commands: one indented JSON document on stdout.</summary>
internal static class DevJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static async Task WriteAsync(TextWriter output, object document)
    {
        await output.WriteLineAsync(JsonSerializer.Serialize(document, Options));
    }
}
