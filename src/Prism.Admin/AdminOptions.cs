using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Prism.Hosting.Settings;

namespace Prism.Admin;

/// <summary>The admin control plane's own settings (<see cref="AdminSettings"/>), read with their typed accessors.</summary>
public sealed class AdminOptions
{
    /// <summary>Secret that signs page tokens; the development key when <see cref="AdminSettings.CursorKey"/> is unset.</summary>
    public string CursorKey { get; set; } = AdminSettings.DevelopmentCursorKey;

    /// <summary>Calls each actor may make per minute.</summary>
    public int RateLimitPerMinute { get; set; } = 100;

    /// <summary>True when page tokens are signed with the public development key.</summary>
    public bool UsesDevelopmentCursorKey => CursorKey == AdminSettings.DevelopmentCursorKey;

    /// <summary>Reads the options from <paramref name="configuration"/>.</summary>
    /// <exception cref="ConfigurationException">A value of the wrong type.</exception>
    public void ReadFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        CursorKey = AdminSettings.CursorKey.IsSet(configuration) ? AdminSettings.CursorKey.RequiredText(configuration) : AdminSettings.DevelopmentCursorKey;
        RateLimitPerMinute = AdminSettings.RateLimit.PositiveInt(configuration);
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
