using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<string, Lazy<IDriverSource>> _byNamespace = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Drivers with the instance's own credential that reach <paramref name="namespace"/>'s data wherever its
    /// credential mode keeps it (operators' calls such as dead letters): the shared drivers unless the type
    /// keeps namespaces apart. Owned by the instance.
    /// </summary>
    public IDriverSource DriversOf(string @namespace) =>
        _byNamespace.GetOrAdd(@namespace, ns => new Lazy<IDriverSource>(() =>
            Type.OpenForNamespace(Spec, ns, _context) is { } connection ? new DriverSet(Type, () => connection) : _shared)).Value;

    /// <summary>A trivial round trip on the instance's connection.</summary>
    public Task PingAsync(CancellationToken cancellation) => _shared.Connection.PingAsync(cancellation);

    /// <summary>Drivers on a connection of their own that uses <paramref name="credential"/>; the caller disposes them.</summary>
    public DriverSet OpenAs(SessionCredential credential) => new(Type, () => Type.OpenAs(Spec, credential, _context));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var own in _byNamespace.Values.Where(v => v.IsValueCreated).Select(v => v.Value).OfType<DriverSet>().Where(d => !ReferenceEquals(d, _shared)))
        {
            await own.DisposeAsync();
        }

        await _shared.DisposeAsync();
    }
}
