using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Logging;

/// <summary>How much every Prism process logs, and in which line format.</summary>
public static class LoggingSettings
{
    /// <summary>Lowest level written for Prism's own categories.</summary>
    public static readonly Setting Level = new(
        "PRISM_LOG_LEVEL", "log:level", "info",
        "Lowest level logged: trace, debug, info, warn or error. Framework categories (ASP.NET Core, gRPC, EF Core, OpenIddict) stay at warn unless this is lower.")
    {
        Choices = ["trace", "debug", "info", "warn", "error"],
    };

    /// <summary>Line format on standard error.</summary>
    public static readonly Setting Format = new(
        "PRISM_LOG_FORMAT", "log:format", "logfmt",
        "Line format on standard error: logfmt (ts=… level=… msg=…) or json (one object per line, the same fields).")
    {
        Choices = ["logfmt", "json"],
    };

    /// <summary>Both logging settings.</summary>
    public static IReadOnlyList<Setting> All { get; } = [Level, Format];

    /// <summary>The configured minimum level.</summary>
    /// <exception cref="ConfigurationException">Not one of the choices.</exception>
    public static LogLevel MinimumLevel(IConfiguration configuration) => Level.Choice(configuration) switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };

    /// <summary>The console formatter name the configured format selects.</summary>
    /// <exception cref="ConfigurationException">Not one of the choices.</exception>
    public static string FormatterName(IConfiguration configuration) =>
        Format.Choice(configuration) is "json" ? JsonLineConsoleFormatter.FormatterName : LogfmtConsoleFormatter.FormatterName;
}
