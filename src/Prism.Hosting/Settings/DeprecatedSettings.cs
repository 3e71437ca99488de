using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Logging;

namespace Prism.Hosting.Settings;

/// <summary>Settings set through their deprecated alias (<see cref="Setting.Alias"/>), warned about once at start.</summary>
public static partial class DeprecatedSettings
{
    /// <summary>The message of the warning.</summary>
    public const string WarningMessage = "deprecated setting";

    /// <summary>
    /// The settings of <paramref name="settings"/> whose value comes from their deprecated alias. One whose old value
    /// cannot be read is left out: its configuration error names the replacement already.
    /// </summary>
    public static IReadOnlyList<Setting> InUse(IConfiguration configuration, IEnumerable<Setting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Where(s => s.UsesDeprecatedAlias(configuration) && Readable(s, configuration)).DistinctBy(s => s.Key).ToList();
    }

    /// <summary>Logs one warning per setting in <paramref name="settings"/> set through its deprecated alias, naming the replacement.</summary>
    public static void Warn(ILogger logger, IConfiguration configuration, IEnumerable<Setting> settings)
    {
        foreach (var setting in InUse(configuration, settings))
        {
            LogDeprecated(logger, setting.Alias!.EnvironmentVariable, Replacement(setting, configuration));
        }
    }

    /// <summary>The same warning as a logfmt line, for commands that do not log through a logger (<c>prism dev up</c>).</summary>
    public static string Line(Setting setting, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var variable = setting.Alias!.EnvironmentVariable;
        var replacement = Replacement(setting, configuration);
        return $"ts={DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} level=WARN "
            + $"msg={Logfmt.Quote($"{WarningMessage} {variable} is in use; set {replacement} instead")} variable={variable} replacement={Logfmt.Quote(replacement)}";
    }

    /// <summary>What to set instead, with the value in force: <c>PRISM_PROXY_CONTROL_POLL_INTERVAL=500ms</c>.</summary>
    private static string Replacement(Setting setting, IConfiguration configuration) =>
        Readable(setting, configuration)
            ? $"{setting.EnvironmentVariable}={GoDuration.Format(setting.Duration(configuration, allowZero: true))}"
            : setting.EnvironmentVariable;

    private static bool Readable(Setting setting, IConfiguration configuration)
    {
        try
        {
            _ = setting.Duration(configuration, allowZero: true);
            return true;
        }
        catch (ConfigurationException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2, EventName = "DeprecatedSetting", Level = LogLevel.Warning,
        Message = WarningMessage + " {Variable} is in use; set {Replacement} instead")]
    private static partial void LogDeprecated(ILogger logger, string variable, string replacement);
}
