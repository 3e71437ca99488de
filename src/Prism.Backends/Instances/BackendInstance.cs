using Prism.Backends.Credentials;
using Prism.Backends.Types;

namespace Prism.Backends.Instances;

/// <summary>
/// A backend instance as this process uses it: its definition, its type and, once first used, its
/// pooled connection and one driver per pattern shared by every namespace bound to it. An instance
/// in dynamic credential mode also opens one connection per session (<see cref="OpenAs"/>).
/// </summary>
public sealed class BackendInstance : IDriverSource, IAsyncDisposable
{
    private readonly BackendContext _context;
    private readonly DriverSet _shared;

    internal BackendInstance(BackendInstanceSpec spec, BackendType type, BackendContext context)
    {
        Spec = spec;
        Type = type;
        Endpoint = type.Endpoint(spec);
        Credentials = CredentialPolicy.Of(spec, type);
        _context = context;
        _shared = new DriverSet(type, () => type.Open(spec, context));
    }

    /// <summary>The definition, secrets included: never log it.</summary>
    public BackendInstanceSpec Spec { get; }

    /// <summary>Instance name.</summary>
    public string Name => Spec.Name;

    /// <summary>The backend type.</summary>
    public BackendType Type { get; }

    /// <summary>Where it is, without credentials.</summary>
    public string Endpoint { get; }

    /// <summary>Static or dynamic credentials, with lease lifetimes.</summary>
    public CredentialPolicy Credentials { get; }

    /// <summary>
    /// Issues, renews and revokes per-session credentials with the instance's own credential; null when the
    /// type cannot. Present in static mode too, so leases issued before a switch to static can still be revoked.
    /// </summary>
    public ICredentialSource? CredentialSource => Type.IssuesCredentials ? _shared.Connection.Credentials : null;

    /// <inheritdoc />
    public object? Driver(string pattern) => _shared.Driver(pattern);

    /// <summary>A trivial round trip on the instance's connection.</summary>
    public Task PingAsync(CancellationToken cancellation) => _shared.Connection.PingAsync(cancellation);

    /// <summary>Drivers on a connection of their own that uses <paramref name="credential"/>; the caller disposes them.</summary>
    public DriverSet OpenAs(SessionCredential credential) => new(Type, () => Type.OpenAs(Spec, credential, _context));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _shared.DisposeAsync();
}
