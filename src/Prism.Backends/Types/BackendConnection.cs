using Prism.Backends.Credentials;

namespace Prism.Backends.Types;

/// <summary>
/// The pooled client(s) of one backend instance and the drivers made on them. Clients reconnect by
/// themselves, so an instance that comes back is used again without a restart.
/// </summary>
public abstract class BackendConnection : IAsyncDisposable
{
    /// <summary>A trivial round trip (PING, SELECT 1); throws when the backend does not answer.</summary>
    public abstract Task PingAsync(CancellationToken cancellation);

    /// <summary>
    /// A new driver for <paramref name="pattern"/> on this connection (an <c>IKeyValueStore</c> or
    /// <c>IPubSub</c>), or null when the type does not offer the pattern. Called once per pattern.
    /// </summary>
    public abstract object? CreateDriver(string pattern);

    /// <summary>Issues per-session credentials with this connection's credential; null when the type cannot.</summary>
    public virtual ICredentialSource? Credentials => null;

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
