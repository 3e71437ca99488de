using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Prism.Hosting.Logging;

/// <summary>
/// Writes one JSON object per entry with the logfmt formatter's fields and names:
/// <c>{"ts":"…","level":"WARN","msg":"…","key":"value",…,"logger":"…"}</c>.
/// </summary>
public sealed class JsonLineConsoleFormatter(TimeProvider time) : ConsoleFormatter(FormatterName)
{
    /// <summary>Name to select the formatter with <c>AddConsole(o =&gt; o.FormatterName = …)</c>.</summary>
    public const string FormatterName = "json-lines";

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", LogfmtConsoleFormatter.LevelName(logEntry.LogLevel));
            json.WriteString("msg", logEntry.Formatter(logEntry.State, logEntry.Exception));
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                foreach (var (key, value) in fields)
                {
                    if (key != "{OriginalFormat}")
                    {
                        json.WriteString(Logfmt.KeyOf(key), Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                    }
                }
            }

            json.WriteString("logger", logEntry.Category);
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("error", exception.GetType().Name + ": " + exception.Message);
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
