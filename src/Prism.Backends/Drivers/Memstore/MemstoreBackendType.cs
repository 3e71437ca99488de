using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.Hosting.Settings;

namespace Prism.Backends.Drivers.Memstore;

/// <summary>In-process memory: key-value, pub/sub and queues for local work; each instance is its own store, lost at exit.</summary>
public sealed class MemstoreBackendType : BackendType
{
    /// <summary>Memory the queues of a memstore instance may take.</summary>
    public static readonly Setting QueueMemorySetting = new("PRISM_MEMSTORE_QUEUE_MEMORY_MB", "backends:memstore:queue_memory_mb", "256",
        "Megabytes of messages and dead letters the queues of each memstore instance may hold; past it, messages every group has settled are dropped oldest first, then publishes are refused (RESOURCE_EXHAUSTED) until messages are consumed or dead letters purged.");

    /// <summary>Memory the key-value store of a memstore instance may take.</summary>
    public static readonly Setting KeyValueMemorySetting = new("PRISM_MEMSTORE_KEYVALUE_MEMORY_MB", "backends:memstore:keyvalue_memory_mb", "256",
        "Megabytes of keys and values each memstore instance may hold; past it (after purging expired keys), writes are refused (RESOURCE_EXHAUSTED) until keys are deleted or expire.");

    /// <inheritdoc />
    public override string Name => "memstore";

    /// <inheritdoc />
    public override IReadOnlyList<Setting> ConfigurationSettings => [QueueMemorySetting, KeyValueMemorySetting];

    /// <inheritdoc />
    public override IReadOnlySet<string> Capabilities { get; } = new HashSet<string>
    {
        Backends.Capabilities.KeyValueBasic, Backends.Capabilities.KeyValueTtl, Backends.Capabilities.KeyValueBatch, Backends.Capabilities.PubSubBasic,
        Backends.Capabilities.QueueBasic, Backends.Capabilities.QueueDeadLetter,
    };

    /// <inheritdoc />
    public override BackendInstanceSpec DefaultInstance(IConfiguration configuration, PrismHome home) =>
        new(Name, Name, new Dictionary<string, string>(), BackendSource.Config);

    /// <inheritdoc />
    public override string Endpoint(BackendInstanceSpec spec) => "in-process";

    /// <inheritdoc />
    public override BackendConnection Open(BackendInstanceSpec spec, BackendContext context) => new MemoryConnection(context);

    private sealed class MemoryConnection(BackendContext context) : BackendConnection
    {
        public override Task PingAsync(CancellationToken cancellation) => Task.CompletedTask;

        public override object? CreateDriver(string pattern) => pattern switch
        {
            Patterns.KeyValue => new MemoryKeyValueStore(context.Time, context.Options, context.Loggers.CreateLogger<MemoryKeyValueStore>()),
            Patterns.PubSub => new MemoryPubSub(context.Time, context.Options, context.Loggers.CreateLogger<MemoryPubSub>()),
            Patterns.Queue => new MemoryQueue(context.Time, context.Options),
            _ => null,
        };
    }
}
