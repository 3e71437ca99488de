using Prism.Security;

namespace Prism.Admin.Calls;

/// <summary>
/// Who is calling and what the call touches, shared by the interceptor (which authenticates
/// and audits) and the domain services (which name the resource and commit the audit entry
/// with their mutation). Free of gRPC types.
/// </summary>
internal sealed class AdminCaller(PrismPrincipal? principal, string requestId, string operation)
{
    /// <summary>Actor name used when no token could be validated.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The validated caller, or null before authentication succeeded.</summary>
    public PrismPrincipal? Principal { get; internal set; } = principal;

    /// <summary>The request id: the caller's <c>request-id</c> header or a generated one.</summary>
    public string RequestId { get; } = requestId;

    /// <summary>The RPC name, for example <c>CreateNamespace</c>.</summary>
    public string Operation { get; } = operation;

    /// <summary>IP address the call came from, when known.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>Audit actor: the principal's actor name or <see cref="Anonymous"/>.</summary>
    public string Actor => Principal?.Actor ?? Anonymous;

    /// <summary>Kind of resource the call touches (<c>namespace</c>, <c>config</c>, ...).</summary>
    public string ResourceType { get; private set; } = "service";

    /// <summary>Name or id of that resource; empty for list calls.</summary>
    public string ResourceId { get; private set; } = "";

    /// <summary>Namespace the call concerns, if any.</summary>
    public string? Namespace { get; private set; }

    /// <summary>Non-secret details recorded in the audit entry.</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>True once the call's audit entry is stored (a mutation commits it itself).</summary>
    public bool Audited { get; set; }

    /// <summary>Names the resource the call touches, for its audit entry.</summary>
    public AdminCaller Touches(string resourceType, string resourceId = "", string? @namespace = null)
    {
        ResourceType = resourceType;
        ResourceId = resourceId;
        Namespace = @namespace;
        return this;
    }
}
