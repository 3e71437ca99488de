using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Prism.Hosting.Settings;

/// <summary>
/// Builds the configuration a module reads, lowest precedence first: setting defaults,
/// the YAML file named by PRISM_CONFIG, then PRISM_* environment variables.
/// </summary>
public static class PrismConfiguration
{
    /// <summary>Adds defaults, the optional YAML file and the environment variables of <paramref name="settings"/>.</summary>
    /// <param name="builder">Configuration being built.</param>
    /// <param name="settings">Every setting the host knows.</param>
    /// <param name="environment">Environment variables; the process environment when null.</param>
    public static IConfigurationBuilder AddPrismSettings(
        this IConfigurationBuilder builder, IEnumerable<Setting> settings, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var all = settings.DistinctBy(s => s.Key).ToList();
        environment ??= System.Environment.GetEnvironmentVariables();

        builder.AddInMemoryCollection(all
            .Where(s => s.DefaultValue is not null)
            .Select(s => KeyValuePair.Create(s.Key, s.DefaultValue)));

        if (environment[CoreSettings.ConfigFile.EnvironmentVariable] is string file && file.Length > 0)
        {
            builder.AddInMemoryCollection(YamlSettingsFile.Read(file));
        }

        // A deprecated alias goes under its own key, so Setting.Duration can tell which name set the value.
        builder.AddInMemoryCollection(all
            .Where(s => s.Alias is not null && environment[s.Alias.EnvironmentVariable] is string)
            .Select(s => KeyValuePair.Create(s.Alias!.Key, (string?)environment[s.Alias.EnvironmentVariable]))
            .Concat(all
                .Where(s => environment[s.EnvironmentVariable] is string)
                .Select(s => KeyValuePair.Create(s.Key, (string?)environment[s.EnvironmentVariable]))));
        return builder;
    }
}
