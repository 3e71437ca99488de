using System.Globalization;
using System.Text;
using Prism.Backends.Drivers.Redis;
using Prism.Backends.KeyValue;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.KeyValue;

/// <summary>A Redis Cluster of its own with one replica per master, to kill a master in.</summary>
public sealed class RedisClusterFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);
    private readonly RedisCluster _cluster = new(replicas: true, nodeTimeoutMs: 1000);
    private readonly string _ns = "ns-" + Guid.NewGuid().ToString("N")[..12];
    private TestBackends? _drivers;

    private IKeyValueStore Store => _drivers!.Registry.KeyValue("redis")!;

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync();
        _drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, _cluster.Url)));
    }

    public async Task DisposeAsync()
    {
        await _drivers!.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task KillingAMaster_ItsReplicaTakesOver_AndTheBackendRecovers()
    {
        var keys = Enumerable.Range(0, 30).Select(i => "k" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        await Store.BatchSetAsync(_ns, [.. keys.Select(k => new KeyValueWrite(k, Encoding.UTF8.GetBytes("before-" + k)))], default).WaitAsync(Timeouts.Await);
        var victim = _cluster.Masters[0];
        var heir = _cluster.Nodes[_cluster.Masters.Count];
        var onVictim = 0;
        foreach (var key in keys)
        {
            var slot = int.Parse(await victim.SendAsync("CLUSTER", "KEYSLOT", (string)RedisKeyValueStore.KeyOf(_ns, key)!), CultureInfo.InvariantCulture);
            onVictim += await _cluster.OwnerOfAsync(slot) == victim ? 1 : 0;
        }

        Assert.True(onVictim > 0, "no key on the master to kill");
        // Replication is asynchronous: wait until the replica has every write before killing its master.
        await RedisCluster.WaitAsync(async () => Offset(await victim.SendAsync("INFO", "replication"), "master_repl_offset")
            == Offset(await heir.SendAsync("INFO", "replication"), "slave_repl_offset"), "the replica caught up");
        var instance = _drivers!.Registry.Find("redis")!;

        await victim.StopAsync();

        await RedisCluster.WaitAsync(async () => !await HealthyAsync(instance), "the health check noticing the dead master", Recovery);
        await RedisCluster.WaitAsync(async () => (await heir.SendAsync("INFO", "replication")).Contains("role:master", StringComparison.Ordinal),
            "the replica promoted", Recovery);
        await RedisCluster.WaitAsync(async () => await ReadsAsync(keys, "before-"), "the backend reading every key again", Recovery);
        await RedisCluster.WaitAsync(() => HealthyAsync(instance), "the health check passing again", Recovery);
        await Store.BatchSetAsync(_ns, [.. keys.Select(k => new KeyValueWrite(k, Encoding.UTF8.GetBytes("after-" + k)))], default).WaitAsync(Timeouts.Await);

        Assert.True(await ReadsAsync(keys, "after-"));
        Assert.Contains("role:master", await heir.SendAsync("INFO", "replication"), StringComparison.Ordinal);
    }

    private async Task<bool> ReadsAsync(IReadOnlyList<string> keys, string prefix)
    {
        try
        {
            var got = await Store.BatchGetAsync(_ns, keys, default).WaitAsync(Timeouts.Await);
            return got.Select(g => Encoding.UTF8.GetString(g.Value.Span)).SequenceEqual(keys.Select(k => prefix + k));
        }
        catch (BackendUnavailableException)
        {
            return false;
        }
    }

    private static async Task<bool> HealthyAsync(Instances.BackendInstance instance)
    {
        try
        {
            await instance.PingAsync(default).WaitAsync(Timeouts.Await);
            return true;
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            return false;
        }
    }

    private static long Offset(string info, string field) =>
        long.Parse(info.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..],
            CultureInfo.InvariantCulture);
}

/// <summary>
/// A 3-master Redis Cluster of its own, to leave a slot without a master behind the client's back (the client's slot
/// map still has it covered): the cluster then refuses every key command with CLUSTERDOWN.
/// </summary>
public sealed class RedisClusterDownTests : IAsyncLifetime
{
    private readonly RedisCluster _cluster = new();
    private TestBackends? _drivers;

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync();
        _drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, _cluster.Url)));
    }

    public async Task DisposeAsync()
    {
        await _drivers!.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task AClusterDown_MakesCallsUnavailable_AndTheHealthCheckFail()
    {
        var store = _drivers!.Registry.KeyValue("redis")!;
        var instance = _drivers.Registry.Find("redis")!;
        await store.SetAsync("ns", "k", "v"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        var slot = int.Parse(await _cluster.Masters[0].SendAsync("CLUSTER", "KEYSLOT", (string)RedisKeyValueStore.KeyOf("ns", "k")!), CultureInfo.InvariantCulture);

        // DELSLOTS changes the slot table of the node asked only: ask every node.
        foreach (var node in _cluster.Nodes)
        {
            await node.SendAsync("CLUSTER", "DELSLOTS", slot.ToString(CultureInfo.InvariantCulture));
        }

        await RedisCluster.WaitAsync(async () => (await Task.WhenAll(_cluster.Nodes.Select(n => n.SendAsync("CLUSTER", "INFO"))))
            .All(i => i.Contains("cluster_state:fail", StringComparison.Ordinal)), "cluster_state:fail on every node");

        var down = await Assert.ThrowsAsync<BackendUnavailableException>(() => store.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await));
        Assert.Equal(BackendFailureCodes.NotReady, down.Code);
        Assert.Contains("CLUSTERDOWN", down.Detail, StringComparison.Ordinal);
        await RedisCluster.WaitAsync(async () =>
        {
            try
            {
                await instance.PingAsync(default).WaitAsync(Timeouts.Await);
                return false;
            }
            catch (InvalidOperationException e) when (e.Message.Contains("CLUSTERDOWN", StringComparison.Ordinal))
            {
                return true;
            }
        }, "the health check failing on the uncovered slot");
    }
}
