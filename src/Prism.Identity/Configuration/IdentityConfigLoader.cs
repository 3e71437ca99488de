using Microsoft.Extensions.Configuration;

namespace Prism.Identity.Configuration;

/// <summary>Loads the Dex config named by <see cref="IdentitySettings.ConfigFile"/>, or the built-in one.</summary>
public static class IdentityConfigLoader
{
    /// <summary>The configuration in force; a bad file throws <see cref="DexConfigException"/>.</summary>
    public static DexConfig Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return IdentitySettings.ConfigFile.IsSet(configuration)
            ? DexConfigReader.ReadFile(IdentitySettings.ConfigFile.FilePath(configuration))
            : DexConfigReader.ReadBuiltIn();
    }

    /// <summary>The issuer in force: <see cref="IdentitySettings.Issuer"/> when set, else the file's.</summary>
    public static Uri Issuer(DexConfig config, IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        return options.Issuer is { Length: > 0 } issuer ? new Uri(issuer.TrimEnd('/')) : config.Issuer;
    }
}
