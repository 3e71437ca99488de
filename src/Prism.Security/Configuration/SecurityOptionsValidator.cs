using Microsoft.Extensions.Options;

namespace Prism.Security.Configuration;

/// <summary>Checks <see cref="SecurityOptions"/> at start; each message names the configuration key and the environment variable.</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.ParseErrors);
        if (!options.AuthDisabled)
        {
            errors.AddRange(IssuerErrors(options));
            if (options.Audiences.Count == 0)
            {
                errors.Add($"{SecuritySettings.Audiences.Display} must list at least one accepted audience.");
            }
        }

        if (options.JwksRefreshInterval < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{SecuritySettings.JwksRefreshInterval.Display} must be at least 1m.");
        }

        if (options.IntrospectionClientId is not null && options.IntrospectionClientSecret is null)
        {
            errors.Add($"{SecuritySettings.IntrospectionClientSecret.Display} must be set when {SecuritySettings.IntrospectionClientId.Display} is.");
        }

        if (options.ClockSkew > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{SecuritySettings.ClockSkew.Display} must be at most 10m.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> IssuerErrors(SecurityOptions options)
    {
        var setting = SecuritySettings.Issuer;
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            yield return $"{setting.Display} must be set to the OIDC issuer URL when authentication is enabled " +
                $"(or set {SecuritySettings.AuthDisabled.EnvironmentVariable}=true for local work).";
        }
        else if (options.IssuerUri is not { } uri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"{setting.Display} must be an absolute http or https URL, not '{options.Issuer}'.";
        }
        else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            yield return $"{setting.Display} must not have a query or fragment: '{options.Issuer}'.";
        }
    }
}
