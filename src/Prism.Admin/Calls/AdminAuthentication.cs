using Microsoft.Extensions.Configuration;
using Prism.Security;

namespace Prism.Admin.Calls;

/// <summary>How calls without a token are treated: refused, or (auth disabled) run as the local developer.</summary>
public sealed class AdminAuthentication(PrismPrincipal? anonymousPrincipal)
{
    /// <summary>The principal for calls without a token when authentication is disabled; null when it is required.</summary>
    public PrismPrincipal? AnonymousPrincipal { get; } = anonymousPrincipal;

    /// <summary>Reads PRISM_AUTH_DISABLED.</summary>
    public static AdminAuthentication From(IConfiguration configuration) =>
        new(SecurityPosture.IsAuthDisabled(configuration) ? LocalDeveloper.Principal : null);
}
