using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Prism.Backends.Instances;
using Prism.Backends.KeyValue;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using Prism.Backends.Types;

namespace Prism.Backends;

/// <summary>
/// The backend instances this process knows — those its configuration defines and those in the
/// control store — each with its connection and drivers. <see cref="RefreshAsync"/> picks up new,
/// changed and deleted stored instances; a changed or deleted one keeps serving calls already under
/// way for <see cref="RetireAfter"/>, then its connections close.
/// </summary>
public sealed partial class BackendDrivers : IAsyncDisposable
{
    private readonly IBackendInstanceSource? _source;
    private readonly BackendContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _shadowed = new(StringComparer.Ordinal);
    private readonly List<Task> _retiring = [];
    private FrozenDictionary<string, BackendInstance> _instances;

    /// <summary>Starts with the configured instances; stored ones come with <see cref="RefreshAsync"/> or on first use.</summary>
    public BackendDrivers(BackendCatalog catalog, IEnumerable<IBackendInstanceSource> sources, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loggers);
        Catalog = catalog;
        _source = sources?.FirstOrDefault();
        _time = time;
        _logger = loggers.CreateLogger<BackendDrivers>();
        _context = new BackendContext(time, catalog.DriverOptions, loggers, catalog.HealthTimeout) { Tls = catalog.Tls };
        _instances = catalog.Configured.ToFrozenDictionary(s => s.Name, Create, StringComparer.Ordinal);
    }

    /// <summary>The configuration the instances start from.</summary>
    public BackendCatalog Catalog { get; }

    /// <summary>How long a replaced or deleted instance keeps serving calls already under way before it is closed.</summary>
    public TimeSpan RetireAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every instance known now, by name.</summary>
    public IReadOnlyList<BackendInstance> All => [.. _instances.Values.OrderBy(i => i.Name, StringComparer.Ordinal)];

    /// <summary>The instance called <paramref name="name"/>, or null when this process does not know it (yet).</summary>
    public BackendInstance? Find(string name) => _instances.GetValueOrDefault(name);

    /// <summary>The key-value driver of instance <paramref name="name"/>, or null when its type has none.</summary>
    /// <exception cref="ArgumentException">No instance has that name.</exception>
    public IKeyValueStore? KeyValue(string name) => (IKeyValueStore?)Require(name).Driver(Patterns.KeyValue);

    /// <summary>The pub/sub driver of instance <paramref name="name"/>, or null when its type has none.</summary>
    /// <exception cref="ArgumentException">No instance has that name.</exception>
    public IPubSub? PubSub(string name) => (IPubSub?)Require(name).Driver(Patterns.PubSub);

    /// <summary>The queue driver of instance <paramref name="name"/>, or null when its type has none.</summary>
    /// <exception cref="ArgumentException">No instance has that name.</exception>
    public IQueue? Queue(string name) => (IQueue?)Require(name).Driver(Patterns.Queue);

    /// <summary>The instance called <paramref name="name"/>, read from the control store when this process does not know it yet; null when nobody does.</summary>
    public async ValueTask<BackendInstance?> ResolveAsync(string name, CancellationToken cancellation)
    {
        if (_instances.TryGetValue(name, out var known) || _source is null)
        {
            return known;
        }

        var spec = await _source.GetBackendInstanceAsync(name, cancellation);
        if (spec is null)
        {
            return null;
        }

        lock (_gate)
        {
            if (_instances.TryGetValue(name, out known))
            {
                return known;
            }

            var added = Create(spec);
            _instances = _instances.Append(new KeyValuePair<string, BackendInstance>(name, added)).ToFrozenDictionary(StringComparer.Ordinal);
            return added;
        }
    }

    /// <summary>An instance outside the known set, for a connection test; the caller disposes it.</summary>
    /// <exception cref="BackendSpecException">The type is unknown or a setting cannot be read.</exception>
    public BackendInstance Open(BackendInstanceSpec spec) => Create(spec);

    /// <summary>Reads every stored instance and applies the set: new ones are added, changed ones replaced, deleted ones retired.</summary>
    public async Task RefreshAsync(CancellationToken cancellation)
    {
        if (_source is null)
        {
            return;
        }

        var stored = await _source.ListBackendInstancesAsync(cancellation);
        Apply(stored);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances.Values)
        {
            await instance.DisposeAsync();
        }

        Task[] retiring;
        lock (_gate)
        {
            retiring = [.. _retiring];
        }

        await Task.WhenAll(retiring);
    }

    private void Apply(IReadOnlyList<BackendInstanceSpec> stored)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, BackendInstance>(StringComparer.Ordinal);
            foreach (var spec in Catalog.Configured)
            {
                next[spec.Name] = _instances[spec.Name];
            }

            foreach (var spec in stored)
            {
                if (next.ContainsKey(spec.Name))
                {
                    if (_shadowed.Add(spec.Name))
                    {
                        LogShadowed(_logger, spec.Name);
                    }

                    continue;
                }

                try
                {
                    next[spec.Name] = _instances.TryGetValue(spec.Name, out var current) && current.Spec.SameConnection(spec) ? current : Create(spec);
                }
                catch (BackendSpecException e)
                {
                    LogUnusable(_logger, spec.Name, e.Message);
                }
            }

            foreach (var retired in _instances.Values.Where(i => !next.TryGetValue(i.Name, out var kept) || !ReferenceEquals(kept, i)))
            {
                LogRetired(_logger, retired.Name, RetireAfter.TotalSeconds);
                _retiring.Add(RetireAsync(retired));
            }

            _retiring.RemoveAll(t => t.IsCompleted);
            _instances = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    private async Task RetireAsync(BackendInstance instance)
    {
        await Task.Delay(RetireAfter, _time);
        await instance.DisposeAsync();
    }

    private BackendInstance Create(BackendInstanceSpec spec) =>
        new(spec, BuiltInBackendTypes.Find(spec.Type) ?? throw new BackendSpecException($"backend '{spec.Name}' has unknown type '{spec.Type}'"), _context);

    private BackendInstance Require(string name) =>
        _instances.GetValueOrDefault(name) ?? throw new ArgumentException($"unknown backend '{name}'", nameof(name));

    [LoggerMessage(EventId = 5110, EventName = "BackendShadowed", Level = LogLevel.Warning,
        Message = "Backend {Backend} in the control store is ignored by this process: its configuration defines an instance of that name")]
    private static partial void LogShadowed(ILogger logger, string backend);

    [LoggerMessage(EventId = 5112, EventName = "BackendUnusable", Level = LogLevel.Warning,
        Message = "Backend {Backend} in the control store cannot be used by this process: {Reason}")]
    private static partial void LogUnusable(ILogger logger, string backend, string reason);

    [LoggerMessage(EventId = 5111, EventName = "BackendRetired", Level = LogLevel.Information,
        Message = "Backend {Backend} was changed or deleted; its connections close in {Seconds} s")]
    private static partial void LogRetired(ILogger logger, string backend, double seconds);
}
