using System.Globalization;
using Microsoft.Extensions.Options;
using Prism.Hosting.Settings;

namespace Prism.Identity.Configuration;

/// <summary>Validates <see cref="IdentityOptions"/> at start; each message names the key and the environment variable.</summary>
internal sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        var failures = new List<string>();
        if (options.Issuer is { Length: > 0 } issuer && IssuerProblem(issuer) is { } problem)
        {
            failures.Add($"{IdentitySettings.Issuer.Display} {problem}: '{issuer}'.");
        }

        if (IdentityOptions.ParseClientGroups(options.ClientGroups) is null)
        {
            failures.Add($"{IdentitySettings.ClientGroups.Display} must look like 'client=group,group;client2=group': '{options.ClientGroups}'.");
        }

        Duration(IdentitySettings.SigningKeyRotation, options.SigningKeyRotation, failures);
        Duration(IdentitySettings.LockoutWindow, options.LockoutWindow, failures);
        if (!int.TryParse(options.LockoutThreshold, NumberStyles.None, CultureInfo.InvariantCulture, out var threshold) || threshold < 1)
        {
            failures.Add($"{IdentitySettings.LockoutThreshold.Display} must be a positive whole number: '{options.LockoutThreshold}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why <paramref name="issuer"/> cannot be Prism's issuer, or null when it can.</summary>
    internal static string? IssuerProblem(string issuer) =>
        !Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ? "must be an absolute http(s) URL"
        : uri.AbsolutePath.TrimEnd('/') != IdentityEndpoints.BasePath ? $"must have the path {IdentityEndpoints.BasePath} (every endpoint is served under it)"
        : null;

    private static void Duration(Setting setting, string? value, List<string> failures)
    {
        if (!GoDuration.TryParse(value, out _))
        {
            failures.Add($"{setting.Display} must be a duration such as 720h or 15m: '{value}'.");
        }
    }
}
