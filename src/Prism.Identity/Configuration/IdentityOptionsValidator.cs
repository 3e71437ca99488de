using Microsoft.Extensions.Options;

namespace Prism.Identity.Configuration;

/// <summary>Validates <see cref="IdentityOptions"/> at start; each message names the key and the environment variable.</summary>
internal sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityOptions options) =>
        options.Issuer is { Length: > 0 } issuer && IssuerProblem(issuer) is { } problem
            ? ValidateOptionsResult.Fail($"{IdentitySettings.Issuer.Display} {problem}; got '{issuer}'.")
            : ValidateOptionsResult.Success;

    /// <summary>Why <paramref name="issuer"/> cannot be Prism's issuer, or null when it can.</summary>
    internal static string? IssuerProblem(string issuer) =>
        !Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ? "must be an absolute http(s) URL"
        : uri.AbsolutePath.TrimEnd('/') != IdentityEndpoints.BasePath ? $"must have the path {IdentityEndpoints.BasePath} (every endpoint is served under it)"
        : null;
}
