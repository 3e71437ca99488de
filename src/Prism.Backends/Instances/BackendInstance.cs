using System.Collections.Concurrent;
using Prism.Backends.Types;

namespace Prism.Backends.Instances;

/// <summary>
/// A backend instance as this process uses it: its definition, its type and, once first used, its
/// pooled connection and one driver per pattern shared by every namespace bound to it.
/// </summary>
public sealed class BackendInstance : IAsyncDisposable
{
    private readonly Lazy<BackendConnection> _connection;
    private readonly ConcurrentDictionary<string, Lazy<object?>> _drivers = new(StringComparer.Ordinal);

    internal BackendInstance(BackendInstanceSpec spec, BackendType type, BackendContext context)
    {
        Spec = spec;
        Type = type;
        Endpoint = type.Endpoint(spec);
        _connection = new Lazy<BackendConnection>(() => type.Open(spec, context));
    }

    /// <summary>The definition, secrets included: never log it.</summary>
    public BackendInstanceSpec Spec { get; }

    /// <summary>Instance name.</summary>
    public string Name => Spec.Name;

    /// <summary>The backend type.</summary>
    public BackendType Type { get; }

    /// <summary>Where it is, without credentials.</summary>
    public string Endpoint { get; }

    /// <summary>The driver of <paramref name="pattern"/>, created on first use, or null when the type does not offer it.</summary>
    public object? Driver(string pattern) =>
        _drivers.GetOrAdd(pattern, p => new Lazy<object?>(() => Type.Supports(p) ? _connection.Value.CreateDriver(p) : null)).Value;

    /// <summary>A trivial round trip on the instance's connection.</summary>
    public Task PingAsync(CancellationToken cancellation) => _connection.Value.PingAsync(cancellation);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var driver in _drivers.Values.Where(d => d.IsValueCreated).Select(d => d.Value))
        {
            if (driver is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        if (_connection.IsValueCreated)
        {
            await _connection.Value.DisposeAsync();
        }
    }
}
