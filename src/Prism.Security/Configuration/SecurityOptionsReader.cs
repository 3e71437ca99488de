using System.Globalization;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Security.Configuration;

/// <summary>Fills <see cref="SecurityOptions"/> from configuration keys; unparseable values become <see cref="SecurityOptions.ParseErrors"/>.</summary>
public static class SecurityOptionsReader
{
    /// <summary>Reads every <see cref="SecuritySettings"/> key present in <paramref name="configuration"/> into <paramref name="options"/>.</summary>
    public static void Read(IConfiguration configuration, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);

        Apply<bool>(configuration, options, SecuritySettings.AuthDisabled, "'true' or 'false'", SettingValues.TryBoolean, v => options.AuthDisabled = v);
        if (configuration[SecuritySettings.Issuer.Key] is { } issuer)
        {
            options.Issuer = issuer.Trim();
        }

        if (configuration[SecuritySettings.Audiences.Key] is { } audiences)
        {
            options.Audiences = SettingValues.List(audiences);
        }

        Apply<TimeSpan>(configuration, options, SecuritySettings.JwksRefreshInterval, Duration, SettingValues.TryDuration, v => options.JwksRefreshInterval = v);
        Apply<TimeSpan>(configuration, options, SecuritySettings.JwksRefetchInterval, Duration, SettingValues.TryDuration, v => options.JwksRefetchInterval = v);
        Apply<TimeSpan>(configuration, options, SecuritySettings.ClockSkew, Duration, SettingValues.TryDuration, v => options.ClockSkew = v);
        Apply<TimeSpan>(configuration, options, SecuritySettings.TokenCacheTtl, Duration, SettingValues.TryDuration, v => options.TokenCacheTtl = v);
        Apply<int>(configuration, options, SecuritySettings.MaxTokenBytes, Count, TryCount, v => options.MaxTokenBytes = v);
        Apply<int>(configuration, options, SecuritySettings.TokenCacheSize, Count, TryCount, v => options.TokenCacheSize = v);

        if (configuration[SecuritySettings.AdminGroups.Key] is { } admin)
        {
            options.AdminGroups = SettingValues.List(admin);
        }

        if (configuration[SecuritySettings.OperatorGroups.Key] is { } @operator)
        {
            options.OperatorGroups = SettingValues.List(@operator);
        }

        if (configuration[SecuritySettings.ViewerGroups.Key] is { } viewer)
        {
            options.ViewerGroups = SettingValues.List(viewer);
        }

        Apply<IReadOnlyDictionary<string, IReadOnlyList<string>>>(configuration, options, SecuritySettings.ClientGroups, "'client=group,group;client2=group'", SettingValues.TryClientGroups,
            v => options.ClientGroups = v);
    }

    private const string Duration = "a duration such as 30s, 5m or 24h";
    private const string Count = "a positive whole number";

    private delegate bool TryParse<T>(string? text, out T value);

    private static bool TryCount(string? text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static void Apply<T>(IConfiguration configuration, SecurityOptions options, Setting setting, string expected, TryParse<T> parse, Action<T> assign)
    {
        if (configuration[setting.Key] is not { } text)
        {
            return;
        }

        if (parse(text, out var value))
        {
            assign(value);
        }
        else
        {
            options.ParseErrors.Add($"{setting.Display} must be {expected}, not '{text}'.");
        }
    }
}
