namespace Prism.Proxy.Routing;

/// <summary>Who calls and for which namespace, as the transport received it.</summary>
/// <param name="Authorization">The <c>authorization</c> metadata (<c>Bearer &lt;jwt&gt;</c>), or null.</param>
/// <param name="Namespace">The <c>x-prism-namespace</c> metadata, or null.</param>
public readonly record struct DataPlaneCaller(string? Authorization, string? Namespace)
{
    /// <summary>Metadata key that names the namespace.</summary>
    public const string NamespaceHeader = "x-prism-namespace";

    /// <summary>Metadata key that carries the bearer token.</summary>
    public const string AuthorizationHeader = "authorization";
}
