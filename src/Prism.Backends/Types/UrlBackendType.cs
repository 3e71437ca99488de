using Microsoft.Extensions.Configuration;
using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.Hosting.Settings;

namespace Prism.Backends.Types;

/// <summary>A type whose instances are reached through one connection URL, secret since it may hold a password.</summary>
/// <param name="defaultUrl">The process setting of the instance named after the type.</param>
/// <param name="urlDescription">What the URL looks like, for the documentation.</param>
public abstract class UrlBackendType(Setting defaultUrl, string urlDescription) : BackendType
{
    /// <summary>The one setting of an instance.</summary>
    public const string UrlKey = "url";

    /// <inheritdoc />
    public override IReadOnlyList<BackendSettingSpec> InstanceSettings =>
        IssuesCredentials ? [new(UrlKey, Secret: true, Required: true, urlDescription), .. CredentialPolicy.Settings] : [new(UrlKey, Secret: true, Required: true, urlDescription)];

    /// <inheritdoc />
    public override IReadOnlyList<Setting> ConfigurationSettings => [defaultUrl];

    /// <inheritdoc />
    public override BackendInstanceSpec DefaultInstance(IConfiguration configuration, PrismHome home) =>
        new(Name, Name, new Dictionary<string, string> { [UrlKey] = defaultUrl.RequiredText(configuration) }, BackendSource.Config);

    /// <summary>The instance's URL.</summary>
    /// <exception cref="BackendSpecException">It has none.</exception>
    protected static string Url(BackendInstanceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Value(UrlKey) ?? throw new BackendSpecException($"setting '{UrlKey}' is required");
    }
}
