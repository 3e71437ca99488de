namespace Prism.Proxy.Routing;

/// <summary>Why a data-plane call was refused; the gRPC layer maps each to its status code.</summary>
internal enum DataPlaneFailure
{
    /// <summary>No token, or the token was rejected (UNAUTHENTICATED).</summary>
    Unauthenticated,

    /// <summary>Missing namespace metadata, empty or oversized key or value (INVALID_ARGUMENT).</summary>
    InvalidArgument,

    /// <summary>The namespace does not exist (NOT_FOUND).</summary>
    NotFound,

    /// <summary>The caller may not use the namespace, or its session was terminated (PERMISSION_DENIED).</summary>
    PermissionDenied,

    /// <summary>The namespace does not offer the pattern or its backend lacks the capability (UNIMPLEMENTED).</summary>
    Unimplemented,

    /// <summary>Maintenance, drain, or a backend or the control store is down (UNAVAILABLE).</summary>
    Unavailable,

    /// <summary>A subscriber fell too far behind, a rate limit or a full backend (RESOURCE_EXHAUSTED).</summary>
    ResourceExhausted,
}

/// <summary>A data-plane call refused with a message that is safe to return to the client.</summary>
internal sealed class DataPlaneException(DataPlaneFailure failure, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The kind of refusal.</summary>
    public DataPlaneFailure Failure { get; } = failure;

    /// <summary>Who was refused, once the token was validated; null for an unauthenticated caller.</summary>
    public string? Actor { get; init; }
}
