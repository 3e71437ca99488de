namespace Prism.Backends;

/// <summary>
/// A backend could not be reached or dropped the connection. The message is what clients may see: the
/// backend and a short stable <see cref="Code"/>; <see cref="Detail"/> (addresses, driver messages) is for
/// logs only. The pooled client keeps reconnecting, so a later call succeeds once the backend is back.
/// </summary>
public sealed class BackendUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="backendName"/>.</summary>
    public BackendUnavailableException(string backendName, string code, string detail, Exception? innerException = null)
        : base($"backend '{backendName}' unavailable: {code}", innerException)
    {
        BackendName = backendName;
        Code = code;
        Detail = detail;
    }

    /// <summary>Name of the backend (its type in drivers; the instance name once the proxy or admin rethrows it).</summary>
    public string BackendName { get; }

    /// <summary>What kind of failure, in a few stable words (<see cref="BackendFailureCodes"/>): safe to show clients.</summary>
    public string Code { get; }

    /// <summary>What went wrong, for logs: never credentials or users' keys, but may name addresses.</summary>
    public string Detail { get; }

    /// <summary>The same failure attributed to <paramref name="backendName"/> (an instance rather than a type).</summary>
    public BackendUnavailableException For(string backendName) => new(backendName, Code, Detail, this);
}

/// <summary>The short codes a <see cref="BackendUnavailableException"/> carries.</summary>
public static class BackendFailureCodes
{
    /// <summary>No connection could be made or kept.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>The backend did not answer in time.</summary>
    public const string Timeout = "timeout";

    /// <summary>The client is reconnecting after losing its connection.</summary>
    public const string Reconnecting = "reconnecting";

    /// <summary>A connection in use was lost.</summary>
    public const string ConnectionLost = "connection lost";

    /// <summary>The server is up but refuses work for now (starting, loading, shutting down, full).</summary>
    public const string NotReady = "not ready";

    /// <summary>The backend refused the credentials it was given.</summary>
    public const string AuthenticationFailed = "authentication failed";

    /// <summary>The backend's storage cannot be used (file, disk).</summary>
    public const string StorageError = "storage error";

    /// <summary>The backend is not configured where this process can find it.</summary>
    public const string NotConfigured = "not configured";
}
