using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Identity.Configuration;

/// <summary>Loads the Dex config named by <see cref="IdentitySettings.ConfigFile"/>, or the built-in one.</summary>
public static class IdentityConfigLoader
{
    /// <summary>The client id of the web console, whose callback follows <see cref="IdentitySettings.ConsoleUrl"/>.</summary>
    public const string ConsoleClientId = "prism-console";

    /// <summary>The configuration in force; a bad file throws <see cref="DexConfigException"/>.</summary>
    public static DexConfig Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var config = IdentitySettings.ConfigFile.IsSet(configuration)
            ? DexConfigReader.ReadFile(IdentitySettings.ConfigFile.FilePath(configuration))
            : DexConfigReader.ReadBuiltIn();
        return IdentitySettings.ConsoleUrl.Text(configuration) is { Length: > 0 } consoleUrl
            ? WithConsoleCallback(config, ConsoleCallback(consoleUrl))
            : config;
    }

    private static string ConsoleCallback(string consoleUrl)
    {
        if (!Uri.TryCreate(consoleUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw ConfigurationException.Invalid(IdentitySettings.ConsoleUrl, consoleUrl, "an http(s) URL like http://localhost:8090");
        }

        return url.GetLeftPart(UriPartial.Authority) + "/signin-oidc";
    }

    private static DexConfig WithConsoleCallback(DexConfig config, string callback)
    {
        var clients = config.Clients
            .Select(c => c.Id == ConsoleClientId && !c.RedirectUris.Contains(callback, StringComparer.Ordinal)
                ? c with { RedirectUris = [.. c.RedirectUris, callback] }
                : c)
            .ToList();
        return config with { Clients = clients };
    }

    /// <summary>The issuer in force: <see cref="IdentitySettings.Issuer"/> when set, else the file's.</summary>
    public static Uri Issuer(DexConfig config, IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        return options.Issuer is { Length: > 0 } issuer ? new Uri(issuer.TrimEnd('/')) : config.Issuer;
    }
}
