using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Prism.Hosting.Logging;

/// <summary>
/// Writes one logfmt line per entry: <c>ts=… level=WARN msg="…" key=value … logger=…</c>.
/// Structured fields follow the message so that grep and log shippers can read them.
/// </summary>
public sealed class LogfmtConsoleFormatter(TimeProvider time) : ConsoleFormatter(FormatterName)
{
    /// <summary>Name to select the formatter with <c>AddConsole(o =&gt; o.FormatterName = …)</c>.</summary>
    public const string FormatterName = "logfmt";

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var line = new StringBuilder(160)
            .Append("ts=").Append(time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
            .Append(" level=").Append(LevelName(logEntry.LogLevel))
            .Append(" msg=");
        AppendValue(line, message);

        if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            foreach (var (key, value) in fields)
            {
                if (key != "{OriginalFormat}")
                {
                    line.Append(' ').Append(Logfmt.KeyOf(key)).Append('=');
                    AppendValue(line, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                }
            }
        }

        line.Append(" logger=").Append(logEntry.Category);
        if (logEntry.Exception is { } exception)
        {
            line.Append(" error=");
            AppendValue(line, exception.GetType().Name + ": " + exception.Message);
        }

        textWriter.WriteLine(line.ToString());
    }

    private static void AppendValue(StringBuilder line, string value) => line.Append(Logfmt.Quote(value));

    /// <summary>The level's name in Prism's log lines (INFO, WARN, …).</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "NONE",
    };
}

/// <summary>logfmt quoting rules shared by the formatter and structured log states.</summary>
public static class Logfmt
{
    /// <summary>Quotes a value when it holds spaces, quotes, '=' or control characters.</summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && !value.Any(c => c is ' ' or '"' or '=' or '\\' || char.IsControl(c)))
        {
            return value;
        }

        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal);
        return "\"" + escaped + "\"";
    }

    /// <summary>Converts a structured-logging name (<c>ProdDelta</c>) to a logfmt key (<c>prod_delta</c>).</summary>
    public static string KeyOf(string name)
    {
        var key = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                key.Append('_');
            }

            key.Append(char.ToLowerInvariant(c));
        }

        return key.ToString();
    }
}
