namespace Prism.Admin.Backends;

/// <summary>
/// A backend instance as a create, update or apply request describes it. On update an empty value in
/// <see cref="Secrets"/> removes that secret and a key left out keeps its stored value.
/// </summary>
internal sealed record BackendDraft(
    string Name,
    string Type,
    string Description,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> Secrets,
    IReadOnlyDictionary<string, string> Labels,
    long Version);

/// <summary>The instance could not be reached with its settings (FAILED_PRECONDITION); nothing was stored.</summary>
internal sealed class BackendConnectionException(string name, string reason)
    : Exception($"backend '{name}': connection test failed: {reason}");
