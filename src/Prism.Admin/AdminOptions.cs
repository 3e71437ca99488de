using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Prism.ControlStore;
using Prism.Hosting.Settings;

namespace Prism.Admin;

/// <summary>The admin control plane's own settings (<see cref="AdminSettings"/>), read with their typed accessors.</summary>
public sealed class AdminOptions
{
    /// <summary>Secret that signs page tokens; the development key when <see cref="AdminSettings.CursorKey"/> is unset.</summary>
    public string CursorKey { get; set; } = AdminSettings.DevelopmentCursorKey;

    /// <summary>Calls each actor may make per minute.</summary>
    public int RateLimitPerMinute { get; set; } = 100;

    /// <summary>Unauthenticated calls each client address may make per minute.</summary>
    public int AnonymousRateLimitPerMinute { get; set; } = 60;

    /// <summary>What the retention pruner keeps.</summary>
    public RetentionPolicy Retention { get; set; } = new(TimeSpan.FromHours(2160), 1_000_000, TimeSpan.FromHours(720), 100_000);

    /// <summary>How often the retention pruner runs; zero: never in this process.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>True when page tokens are signed with the public development key.</summary>
    public bool UsesDevelopmentCursorKey => CursorKey == AdminSettings.DevelopmentCursorKey;

    /// <summary>Reads the options from <paramref name="configuration"/>.</summary>
    /// <exception cref="ConfigurationException">A value of the wrong type.</exception>
    public void ReadFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        CursorKey = AdminSettings.CursorKey.IsSet(configuration) ? AdminSettings.CursorKey.RequiredText(configuration) : AdminSettings.DevelopmentCursorKey;
        RateLimitPerMinute = AdminSettings.RateLimit.PositiveInt(configuration);
        AnonymousRateLimitPerMinute = AdminSettings.AnonymousRateLimit.PositiveInt(configuration);
        Retention = new RetentionPolicy(
            AdminSettings.AuditRetention.Duration(configuration, allowZero: true),
            RowCount(AdminSettings.AuditMaxRows, configuration),
            AdminSettings.SessionRetention.Duration(configuration, allowZero: true),
            RowCount(AdminSettings.SessionMaxRows, configuration));
        RetentionInterval = AdminSettings.RetentionInterval.Duration(configuration, allowZero: true);
    }

    private static int RowCount(Setting setting, IConfiguration configuration)
    {
        var text = setting.Text(configuration);
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ConfigurationException.Invalid(setting, text, "a whole number of rows, 0 for no limit");
    }
}

/// <summary>Checks <see cref="AdminOptions"/> at start, naming the key and variable and never echoing the cursor key.</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    /// <summary>Shortest cursor key accepted.</summary>
    public const int MinimumCursorKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, AdminOptions options) =>
        options.CursorKey.Length < MinimumCursorKeyLength
            ? ValidateOptionsResult.Fail(
                $"{AdminSettings.CursorKey.Display} must be at least {MinimumCursorKeyLength} characters; {ConfigurationException.Got(AdminSettings.CursorKey, options.CursorKey)}.")
            : ValidateOptionsResult.Success;
}
