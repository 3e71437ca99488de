using Microsoft.Extensions.Logging;

namespace Prism.Security.Tokens;

/// <summary>
/// The validator used with authentication disabled: any token (or none) is the <see cref="LocalDeveloper"/>.
/// Hosts report it through <see cref="SecurityPosture.InsecureDefaults"/>, which production refuses.
/// </summary>
public sealed class AuthDisabledTokenValidator : ITokenValidator
{
    /// <summary>Creates the validator and logs once that authentication is off.</summary>
    public AuthDisabledTokenValidator(ILogger<AuthDisabledTokenValidator> logger) =>
        SecurityLog.AuthenticationDisabled(logger, LocalDeveloper.Email);

    /// <inheritdoc />
    public ValueTask<PrismPrincipal> ValidateAsync(string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(LocalDeveloper.Principal);
}
