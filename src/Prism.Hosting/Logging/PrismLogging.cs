using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Prism.Hosting.Logging;

/// <summary>Console logging shared by every Prism process: logfmt or JSON lines on standard error.</summary>
public static class PrismLogging
{
    private static readonly string[] FrameworkCategories =
        ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "OpenIddict", "Grpc", "Microsoft.Hosting.Lifetime"];

    /// <summary>Replaces the default console output with the format and level of <see cref="LoggingSettings"/>.</summary>
    /// <exception cref="Settings.ConfigurationException">PRISM_LOG_LEVEL or PRISM_LOG_FORMAT is not one of its choices.</exception>
    public static ILoggingBuilder AddPrismConsole(this ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        var minimum = LoggingSettings.MinimumLevel(configuration);
        var formatter = LoggingSettings.FormatterName(configuration);
        logging.Services.TryAddSingleton(TimeProvider.System);
        logging.ClearProviders();
        logging.AddConsole(o =>
        {
            o.FormatterName = formatter;
            o.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        logging.AddConsoleFormatter<LogfmtConsoleFormatter, ConsoleFormatterOptions>();
        logging.AddConsoleFormatter<JsonLineConsoleFormatter, ConsoleFormatterOptions>();
        logging.SetMinimumLevel(minimum);
        // Framework chatter stays at warn; an operator asking for debug or trace gets it too.
        var framework = minimum < LogLevel.Information ? minimum : (LogLevel)Math.Max((int)minimum, (int)LogLevel.Warning);
        foreach (var category in FrameworkCategories)
        {
            logging.AddFilter(category, framework);
        }

        return logging;
    }
}
