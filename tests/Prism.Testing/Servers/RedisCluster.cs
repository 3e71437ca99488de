using System.Globalization;
using Prism.Backends.LocalServers;

namespace Prism.Testing.Servers;

/// <summary>
/// A throwaway Redis Cluster on loopback: <paramref name="masters"/> redis-servers with <c>cluster-enabled yes</c>,
/// each with its own data folder and cluster config file and an explicit cluster bus port, the 16384 slots split
/// evenly between them, and with <paramref name="replicas"/> one replica per master. The fixture meets the nodes and
/// assigns the slots itself (no redis-cli) and waits until every node reports <c>cluster_state:ok</c>.
/// A master whose replica sees it unreachable for <paramref name="nodeTimeoutMs"/> is failed over.
/// </summary>
public sealed class RedisCluster(int masters = 3, bool replicas = false, int nodeTimeoutMs = 2000) : IAsyncDisposable
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Every node: the masters first, then (with replicas) the replica of master i at index masters + i.</summary>
    public IReadOnlyList<RedisClusterNode> Nodes { get; } =
        [.. Enumerable.Range(0, masters * (replicas ? 2 : 1)).Select(_ => new RedisClusterNode(nodeTimeoutMs))];

    /// <summary>The masters the cluster started with.</summary>
    public IReadOnlyList<RedisClusterNode> Masters => [.. Nodes.Take(masters)];

    /// <summary>StackExchange.Redis configuration string naming every node.</summary>
    public string Configuration => string.Join(',', Nodes.Select(n => n.Endpoint));

    /// <summary>The <c>redis://</c> URL form naming every node.</summary>
    public string Url => "redis://" + Configuration;

    /// <summary>Starts the nodes, assigns the slots, meets the nodes, attaches the replicas and waits for <c>cluster_state:ok</c>.</summary>
    public async Task StartAsync()
    {
        await Task.WhenAll(Nodes.Select(n => n.StartAsync()));
        for (var i = 0; i < masters; i++)
        {
            var first = 16384 * i / masters;
            var last = (16384 * (i + 1) / masters) - 1;
            await Masters[i].SendAsync("CLUSTER", "ADDSLOTSRANGE", Text(first), Text(last));
        }

        foreach (var node in Nodes.Skip(1))
        {
            await Nodes[0].SendAsync("CLUSTER", "MEET", "127.0.0.1", Text(node.Port), Text(node.BusPort));
        }

        await WaitAsync(async () => (await Task.WhenAll(Nodes.Select(KnownNodesAsync))).All(count => count == Nodes.Count), "every node knows every other");
        for (var i = masters; i < Nodes.Count; i++)
        {
            await Nodes[i].SendAsync("CLUSTER", "REPLICATE", await Nodes[i - masters].IdAsync());
        }

        await WaitAsync(async () => (await Task.WhenAll(Nodes.Select(n => n.SendAsync("CLUSTER", "INFO")))).All(i => i.Contains("cluster_state:ok", StringComparison.Ordinal)),
            "cluster_state:ok on every node");
        await WaitAsync(async () => (await Task.WhenAll(Nodes.Skip(masters).Select(n => n.SendAsync("INFO", "replication"))))
            .All(i => i.Contains("master_link_status:up", StringComparison.Ordinal)), "every replica in sync");
    }

    /// <summary>
    /// Production posture on every node: an administrator user (every command, key and channel) is created, replicas
    /// log in to their master as it, and the passwordless <c>default</c> user is switched off. Returns the
    /// administrator's configuration string. The fixture's own commands log in as <c>default</c>: use
    /// <see cref="RedisClusterNode.SendAsAsync"/> afterwards.
    /// </summary>
    public async Task<string> RequireAuthenticationAsync()
    {
        foreach (var node in Nodes)
        {
            await node.SendAsync("ACL", "SETUSER", AdminUser, "on", ">" + AdminPassword, "~*", "&*", "+@all");
            await node.SendAsync("CONFIG", "SET", "masteruser", AdminUser);
            await node.SendAsync("CONFIG", "SET", "masterauth", AdminPassword);
        }

        foreach (var node in Nodes)
        {
            await node.SendAsync("ACL", "SETUSER", "default", "off");
        }

        return $"{Configuration},user={AdminUser},password={AdminPassword}";
    }

    /// <summary>The administrator of <see cref="RequireAuthenticationAsync"/>.</summary>
    public const string AdminUser = "prism-admin", AdminPassword = "prism-admin-password";

    /// <summary>The node serving <paramref name="slot"/>, asking <paramref name="asked"/> (default: the first running node).</summary>
    public async Task<RedisClusterNode> OwnerOfAsync(int slot, RedisClusterNode? asked = null)
    {
        var nodes = await (asked ?? Nodes.First(n => n.IsRunning)).SendAsync("CLUSTER", "NODES");
        foreach (var line in nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (!fields[2].Contains("master", StringComparison.Ordinal) || fields[2].Contains("fail", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var range in fields.Skip(8).Where(f => !f.StartsWith('[')))
            {
                var bounds = range.Split('-');
                var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
                var last = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
                if (slot >= first && slot <= last)
                {
                    var port = int.Parse(fields[1].Split(':', '@')[1], CultureInfo.InvariantCulture);
                    return Nodes.Single(n => n.Port == port);
                }
            }
        }

        throw new InvalidOperationException($"no master serves slot {slot}");
    }

    /// <summary>
    /// Moves <paramref name="slot"/> to <paramref name="target"/> the way <c>redis-cli --cluster reshard</c> does:
    /// IMPORTING on the target, MIGRATING on the source, MIGRATE its keys <paramref name="batch"/> at a time (pausing
    /// <paramref name="pause"/> between batches so clients meet ASK), then SETSLOT NODE on every master.
    /// Returns how many keys moved.
    /// </summary>
    public async Task<int> MoveSlotAsync(int slot, RedisClusterNode target, int batch = 2, TimeSpan pause = default)
    {
        var source = await OwnerOfAsync(slot);
        if (source == target)
        {
            throw new ArgumentException($"slot {slot} is already on node {target.Port}", nameof(target));
        }

        var targetId = await target.IdAsync();
        await target.SendAsync("CLUSTER", "SETSLOT", Text(slot), "IMPORTING", await source.IdAsync());
        await source.SendAsync("CLUSTER", "SETSLOT", Text(slot), "MIGRATING", targetId);
        var moved = 0;
        while (true)
        {
            var keys = (await source.SendAsync("CLUSTER", "GETKEYSINSLOT", Text(slot), Text(batch))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (keys.Length == 0)
            {
                break;
            }

            await source.SendAsync(["MIGRATE", "127.0.0.1", Text(target.Port), "", "0", "5000", "KEYS", .. keys]);
            moved += keys.Length;
            await Task.Delay(pause);
        }

        await target.SendAsync("CLUSTER", "SETSLOT", Text(slot), "NODE", targetId);
        await source.SendAsync("CLUSTER", "SETSLOT", Text(slot), "NODE", targetId);
        foreach (var other in Masters.Where(m => m != source && m != target && m.IsRunning))
        {
            await other.SendAsync("CLUSTER", "SETSLOT", Text(slot), "NODE", targetId);
        }

        return moved;
    }

    /// <summary>Stops every node (by PID) and deletes their data.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, probing every 50 ms.</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? FormTimeout);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                // A node still settling: ask again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"redis cluster: no {what} within {timeout ?? FormTimeout}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<int> KnownNodesAsync(RedisClusterNode node) =>
        (await node.SendAsync("CLUSTER", "NODES")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.Contains("handshake", StringComparison.Ordinal));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One node of a <see cref="RedisCluster"/>: redis-server with <c>cluster-enabled yes</c>, its bus port chosen free too.</summary>
public sealed class RedisClusterNode(int nodeTimeoutMs) : ServerProcess("redis-cluster")
{
    /// <summary>The cluster bus port (set explicitly: port + 10000 may be taken).</summary>
    public int BusPort { get; } = FreePort.Next();

    /// <summary>host:port of the node.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The node's cluster id.</summary>
    public Task<string> IdAsync() => SendAsync("CLUSTER", "MYID");

    /// <summary>One command to this node, answered as text.</summary>
    public Task<string> SendAsync(params string[] arguments) => RespClient.SendAsync(Port, arguments);

    /// <summary>One command to this node as <paramref name="user"/>.</summary>
    public Task<string> SendAsAsync(string user, string password, params string[] arguments) => RespClient.SendAsAsync(Port, user, password, arguments);

    /// <inheritdoc />
    protected override string Program() => ServerBinary.Find("redis-server", "redis-server");

    /// <inheritdoc />
    protected override IEnumerable<string> Arguments() =>
    [
        "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--daemonize", "no",
        "--dir", Data.Path, "--save", "", "--appendonly", "no",
        "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(Data.Path, "nodes.conf"),
        "--cluster-port", BusPort.ToString(CultureInfo.InvariantCulture),
        "--cluster-node-timeout", nodeTimeoutMs.ToString(CultureInfo.InvariantCulture),
        // A replica always qualifies for failover, however long since it last heard from its master.
        "--cluster-replica-validity-factor", "0",
        // A replica's first sync starts at once instead of after the default 5 s wait for more replicas.
        "--repl-diskless-sync-delay", "0",
    ];

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellation) =>
        await SendAsync("PING").WaitAsync(cancellation) == "PONG";
}
