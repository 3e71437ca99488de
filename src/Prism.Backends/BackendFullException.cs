namespace Prism.Backends;

/// <summary>
/// The backend stores nothing more until something is consumed or removed: a limit of the engine, not an
/// outage. Its message is safe to return to a client (it names the limit, never an address or secret).
/// </summary>
public sealed class BackendFullException(string message) : Exception(message);
