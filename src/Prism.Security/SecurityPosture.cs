using Microsoft.Extensions.Configuration;
using Prism.Hosting.Posture;

namespace Prism.Security;

/// <summary>The development fixtures of the security core, for <see cref="DeploymentPosture"/>.</summary>
public static class SecurityPosture
{
    /// <summary>Dependency name used in the warning line and the production refusal.</summary>
    public const string Dependency = "auth";

    /// <summary>True when <see cref="SecuritySettings.AuthDisabled"/> is set to true.</summary>
    /// <exception cref="Hosting.Settings.ConfigurationException">The value is not a boolean.</exception>
    public static bool IsAuthDisabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return SecuritySettings.AuthDisabled.Boolean(configuration);
    }

    /// <summary>Active insecure defaults: authentication disabled, or a plain-http issuer on a non-loopback host.</summary>
    public static IReadOnlyList<InsecureDefault> InsecureDefaults(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (IsAuthDisabled(configuration))
        {
            return
            [
                new InsecureDefault(Dependency, SecuritySettings.AuthDisabled.EnvironmentVariable,
                    "Production validates every call's OIDC token: unset " + SecuritySettings.AuthDisabled.EnvironmentVariable + "."),
            ];
        }

        var issuer = SecuritySettings.Issuer.Text(configuration);
        if (Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            return
            [
                new InsecureDefault(Dependency, SecuritySettings.Issuer.EnvironmentVariable,
                    "Production fetches signing keys from an https issuer, so they cannot be replaced on the network."),
            ];
        }

        return [];
    }
}
