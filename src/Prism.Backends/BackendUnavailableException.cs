namespace Prism.Backends;

/// <summary>
/// A backend could not be reached or dropped the connection. The proxy answers UNAVAILABLE
/// naming <see cref="BackendName"/>; the pooled client keeps reconnecting, so a later call
/// succeeds once the backend is back.
/// </summary>
public sealed class BackendUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="backendName"/>.</summary>
    public BackendUnavailableException(string backendName, string detail, Exception? innerException = null)
        : base($"backend '{backendName}' is unavailable: {detail}", innerException)
    {
        BackendName = backendName;
        Detail = detail;
    }

    /// <summary>Name of the backend (memstore, sqlite, redis, postgres, nats).</summary>
    public string BackendName { get; }

    /// <summary>What went wrong, without credentials.</summary>
    public string Detail { get; }
}
