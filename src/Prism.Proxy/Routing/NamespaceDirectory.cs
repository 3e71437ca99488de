using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Prism.ControlStore;

namespace Prism.Proxy.Routing;

/// <summary>
/// Namespaces read from the control store and kept for <see cref="ProxyOptions.NamespaceRefreshInterval"/>.
/// A stale entry is served while one background read refreshes it, so admin changes apply without a
/// restart and without a store round trip on the hot path; an unknown name is looked up on every call,
/// so a namespace created after the proxy started is usable at once.
/// </summary>
internal sealed partial class NamespaceDirectory(INamespaceSource store, ProxyOptions options, TimeProvider time, ILogger<NamespaceDirectory> logger)
{
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The namespace called <paramref name="name"/>.</summary>
    /// <exception cref="DataPlaneException">NOT_FOUND, or UNAVAILABLE when the store cannot be read and nothing is cached.</exception>
    public async ValueTask<NamespaceRecord> GetAsync(string name, CancellationToken cancellation)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(name, out var entry))
        {
            if (time.GetElapsedTime(entry.LoadedAt, now) >= options.NamespaceRefreshInterval && entry.TryStartRefresh())
            {
                _ = RefreshAsync(name);
            }

            return entry.Record;
        }

        var record = await LoadAsync(name, cancellation)
            ?? throw new DataPlaneException(DataPlaneFailure.NotFound, $"namespace '{name}' does not exist");
        _entries[name] = new Entry(record, time.GetTimestamp());
        return record;
    }

    private async Task RefreshAsync(string name)
    {
        try
        {
            using var timeout = new CancellationTokenSource(StoreTimeout);
            var record = await LoadAsync(name, timeout.Token);
            if (record is null)
            {
                _entries.TryRemove(name, out _);
            }
            else
            {
                _entries[name] = new Entry(record, time.GetTimestamp());
            }
        }
        catch (DataPlaneException)
        {
            // Keep serving the cached namespace while the store is away; the next call retries.
            if (_entries.TryGetValue(name, out var entry))
            {
                entry.RefreshFailed();
            }
        }
    }

    private async Task<NamespaceRecord?> LoadAsync(string name, CancellationToken cancellation)
    {
        try
        {
            return await store.GetNamespaceAsync(name, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            LogStoreUnavailable(logger, e, name);
            throw new DataPlaneException(DataPlaneFailure.Unavailable, "the control store is unavailable; namespace configuration cannot be read", e);
        }
    }

    [LoggerMessage(EventId = 8001, EventName = "NamespaceStoreUnavailable", Level = LogLevel.Warning,
        Message = "Reading namespace {Namespace} from the control store failed")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, string @namespace);

    private sealed class Entry(NamespaceRecord record, long loadedAt)
    {
        private int _refreshing;

        public NamespaceRecord Record { get; } = record;

        public long LoadedAt { get; } = loadedAt;

        public bool TryStartRefresh() => Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0;

        public void RefreshFailed() => Volatile.Write(ref _refreshing, 0);
    }
}
