using System.Diagnostics;

namespace Prism.Security;

/// <summary>ActivitySource and Meter names of the security core; hosts add them to their OpenTelemetry pipelines.</summary>
public static class SecurityTelemetry
{
    /// <summary>Name of the ActivitySource (token validation spans) and of the Meter.</summary>
    public const string Name = "Prism.Security";

    /// <summary>ActivitySource name.</summary>
    public const string ActivitySourceName = Name;

    /// <summary>Meter name.</summary>
    public const string MeterName = Name;

    /// <summary>Counter of validations, tagged <c>outcome</c> (accepted, cached, or a rejection code).</summary>
    public const string ValidationsCounter = "prism.security.token.validations";

    /// <summary>Counter of discovery/JWKS fetches, tagged <c>reason</c> and <c>result</c>.</summary>
    public const string KeyFetchesCounter = "prism.security.jwks.fetches";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
