using System.Collections.Concurrent;
using Prism.Backends.Types;

namespace Prism.Backends.Instances;

/// <summary>Where a call finds the driver of its pattern: an instance's shared connection, or one session's own.</summary>
public interface IDriverSource
{
    /// <summary>The driver of <paramref name="pattern"/>, created on first use, or null when the type does not offer it.</summary>
    object? Driver(string pattern);
}

/// <summary>A connection, opened on first use, and one driver per pattern made on it; disposing closes both.</summary>
public sealed class DriverSet : IDriverSource, IAsyncDisposable
{
    private readonly BackendType _type;
    private readonly Lazy<BackendConnection> _connection;
    private readonly ConcurrentDictionary<string, Lazy<object?>> _drivers = new(StringComparer.Ordinal);

    /// <summary>Drivers of <paramref name="type"/> on the connection <paramref name="open"/> makes.</summary>
    public DriverSet(BackendType type, Func<BackendConnection> open)
    {
        _type = type;
        _connection = new Lazy<BackendConnection>(open);
    }

    /// <summary>The connection, opened now if it was not.</summary>
    public BackendConnection Connection => _connection.Value;

    /// <inheritdoc />
    public object? Driver(string pattern) =>
        _drivers.GetOrAdd(pattern, p => new Lazy<object?>(() => _type.Supports(p) ? _connection.Value.CreateDriver(p) : null)).Value;

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
