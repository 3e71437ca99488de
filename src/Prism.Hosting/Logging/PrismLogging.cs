using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Prism.Hosting.Logging;

/// <summary>Console logging in logfmt, shared by every Prism process.</summary>
public static class PrismLogging
{
    /// <summary>Replaces the default console output with logfmt lines on standard error.</summary>
    public static ILoggingBuilder AddPrismConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.Services.TryAddSingleton(TimeProvider.System);
        logging.ClearProviders();
        logging.AddConsole(o =>
        {
            o.FormatterName = LogfmtConsoleFormatter.FormatterName;
            o.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        logging.AddConsoleFormatter<LogfmtConsoleFormatter, ConsoleFormatterOptions>();
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        logging.AddFilter("OpenIddict", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        return logging;
    }
}
