namespace Prism.ControlStore;

/// <summary>A store operation refused for a reason the caller can act on.</summary>
public abstract class StoreException(string message) : Exception(message);

/// <summary>A resource with that name already exists (ALREADY_EXISTS).</summary>
public sealed class ResourceAlreadyExistsException(string resourceType, string name)
    : StoreException($"{resourceType} '{name}' already exists");

/// <summary>No resource with that name or id (NOT_FOUND).</summary>
public sealed class ResourceNotFoundException(string resourceType, string name)
    : StoreException($"{resourceType} '{name}' not found");

/// <summary>The stored version differs from the one the caller read (FAILED_PRECONDITION).</summary>
public sealed class VersionConflictException(string resourceType, string name, long expected, long actual)
    : StoreException($"{resourceType} '{name}' is at version {actual}, not {expected}: read it again and retry");

/// <summary>The resource is still used by others and cannot be removed (FAILED_PRECONDITION).</summary>
public sealed class ResourceInUseException(string resourceType, string name, string usedBy)
    : StoreException($"{resourceType} '{name}' is in use: {usedBy}");
