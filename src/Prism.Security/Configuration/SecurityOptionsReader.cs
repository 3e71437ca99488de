using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Security.Configuration;

/// <summary>
/// Fills <see cref="SecurityOptions"/> with the typed accessors of <see cref="SecuritySettings"/>; each value that
/// cannot be read becomes one line of <see cref="SecurityOptions.ParseErrors"/>, reported together at start.
/// </summary>
public static class SecurityOptionsReader
{
    /// <summary>Reads every <see cref="SecuritySettings"/> key from <paramref name="configuration"/> (defaults where unset) into <paramref name="options"/>.</summary>
    public static void Read(IConfiguration configuration, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);

        Apply(options, () => options.AuthDisabled = SecuritySettings.AuthDisabled.Boolean(configuration));
        options.Issuer = SecuritySettings.Issuer.Text(configuration);
        options.Audiences = SecuritySettings.Audiences.List(configuration);
        Apply(options, () => options.JwksRefreshInterval = SecuritySettings.JwksRefreshInterval.Duration(configuration));
        Apply(options, () => options.JwksRefetchInterval = SecuritySettings.JwksRefetchInterval.Duration(configuration, allowZero: true));
        Apply(options, () => options.ClockSkew = SecuritySettings.ClockSkew.Duration(configuration, allowZero: true));
        Apply(options, () => options.TokenCacheTtl = SecuritySettings.TokenCacheTtl.Duration(configuration, allowZero: true));
        Apply(options, () => options.MaxTokenBytes = SecuritySettings.MaxTokenBytes.PositiveInt(configuration));
        Apply(options, () => options.TokenCacheSize = SecuritySettings.TokenCacheSize.PositiveInt(configuration));
        options.AdminGroups = SecuritySettings.AdminGroups.List(configuration);
        options.OperatorGroups = SecuritySettings.OperatorGroups.List(configuration);
        options.ViewerGroups = SecuritySettings.ViewerGroups.List(configuration);
        Apply(options, () => options.ClientGroups = SecuritySettings.ClientGroups.KeyedLists(configuration));
        Apply(options, () => options.RevocationPollInterval = SecuritySettings.RevocationPollInterval.Duration(configuration));
        Apply(options, () => options.RevocationGrace = SecuritySettings.RevocationGrace.Duration(configuration));
        options.IntrospectionClientId = SecuritySettings.IntrospectionClientId.Text(configuration) is { Length: > 0 } client ? client : null;
        options.IntrospectionClientSecret = SecuritySettings.IntrospectionClientSecret.Text(configuration) is { Length: > 0 } secret ? secret : null;
        Apply(options, () => options.IntrospectionCache = SecuritySettings.IntrospectionCache.Duration(configuration, allowZero: true));
    }

    private static void Apply(SecurityOptions options, Action read)
    {
        try
        {
            read();
        }
        catch (ConfigurationException e)
        {
            options.ParseErrors.Add(e.Message);
        }
    }
}
