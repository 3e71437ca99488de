namespace Prism.Hosting.Settings;

/// <summary>
/// One configuration value: its key in <see cref="Microsoft.Extensions.Configuration.IConfiguration"/>,
/// the environment variable that sets it, its default and what it means. Declared once and
/// shared by the code, <c>docs/configuration.md</c> and the tests.
/// </summary>
/// <param name="EnvironmentVariable">For example <c>PRISM_IDENTITY_PORT</c>.</param>
/// <param name="Key">Configuration key, for example <c>identity:port</c>; also the path in a YAML config file.</param>
/// <param name="DefaultValue">Value used when nothing sets it, or null.</param>
/// <param name="Description">One sentence for the documentation.</param>
public sealed record Setting(string EnvironmentVariable, string Key, string? DefaultValue, string Description)
{
    /// <summary>How error messages name the setting: key and environment variable.</summary>
    public string Display => $"'{Key}' ({EnvironmentVariable})";
}
