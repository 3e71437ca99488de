using Prism.Backends.Drivers.Nats;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using Prism.Backends.Tests.PubSub;
using Prism.Backends.Tests.Queue;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.Clustered;

[CollectionDefinition(Name)]
public sealed class NatsClusterCollection : ICollectionFixture<NatsClusterFixture>
{
    public const string Name = "nats cluster";

    /// <summary>Settings of a process whose 'nats' instance lists every node and keeps 3 replicas of its streams.</summary>
    public static Dictionary<string, string?> Settings(NatsCluster cluster) =>
        TestBackends.Settings((NatsBackendType.UrlSetting, cluster.Url), (NatsBackendType.ReplicasSetting, "3"));
}

/// <summary>The pub/sub contract on a 3-node NATS cluster with streams of 3 replicas.</summary>
[Collection(NatsClusterCollection.Name)]
public sealed class NatsClusterPubSubTests(NatsClusterFixture nats) : PubSubContract
{
    private TestBackends? _drivers;

    protected override IPubSub PubSub => _drivers!.Registry.PubSub("nats")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(NatsClusterCollection.Settings(nats.Cluster));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}

/// <summary>The queue contract on a 3-node NATS cluster with streams of 3 replicas.</summary>
[Collection(NatsClusterCollection.Name)]
public sealed class NatsClusterQueueTests(NatsClusterFixture nats) : QueueContract
{
    private TestBackends? _drivers;

    protected override IQueue Queue => _drivers!.Registry.Queue("nats")!;

    // nats-server 2.9.10, replicated consumers: a NAK delay longer than AckWait came back within ~20 ms in most runs (docs/proxy.md).
    protected override bool HonoursNackDelaysBeyondVisibility => false;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(NatsClusterCollection.Settings(nats.Cluster));
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}
