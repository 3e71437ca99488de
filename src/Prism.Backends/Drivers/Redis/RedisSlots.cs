using StackExchange.Redis;

namespace Prism.Backends.Drivers.Redis;

/// <summary>
/// What changes on Redis Cluster: a multi-key command must name keys of one hash slot, so batches are split
/// by slot (and sent together), and a multi-key command on a slot being migrated is answered TRYAGAIN until
/// the move ends, so it is sent again after a short pause (for up to about 10 s). On a single server nothing is split.
/// </summary>
internal static class RedisSlots
{
    /// <summary>About 10 s: a slot holding many keys takes seconds to move (redis-cli moves 10 keys per step).</summary>
    private const int TryAgainAttempts = 500;
    private static readonly TimeSpan TryAgainPause = TimeSpan.FromMilliseconds(20);

    /// <summary>True when the multiplexer talks to a Redis Cluster.</summary>
    public static bool IsCluster(IConnectionMultiplexer redis) => redis.GetServers().Any(s => s.ServerType == ServerType.Cluster);

    /// <summary>
    /// The positions 0..<paramref name="count"/>-1 grouped by the hash slot of <paramref name="keyAt"/> (in order within
    /// a group), or one group with all of them when <paramref name="redis"/> is not a cluster.
    /// </summary>
    public static IEnumerable<int[]> Groups(IConnectionMultiplexer redis, int count, Func<int, RedisKey> keyAt)
    {
        var positions = Enumerable.Range(0, count);
        return count == 0 ? [] : IsCluster(redis) ? positions.GroupBy(i => redis.HashSlot(keyAt(i))).Select(g => g.ToArray()) : [positions.ToArray()];
    }

    /// <summary>Runs <paramref name="command"/>, again while the cluster answers TRYAGAIN (keys of a slot half-way through a move).</summary>
    public static Task<T> TryAgainAsync<T>(Func<Task<T>> command) => TryAgainAsync(command, transactions: false);

    /// <summary>
    /// Runs <paramref name="command"/>, again while the cluster answers TRYAGAIN and, with <paramref name="transactions"/>,
    /// EXECABORT: a transaction on a slot being moved is discarded whole (a queued command got ASK, TRYAGAIN or MOVED) and
    /// runs once the move is over. Nothing of a discarded transaction ran, so running it again is safe.
    /// </summary>
    public static async Task<T> TryAgainAsync<T>(Func<Task<T>> command, bool transactions)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await command();
            }
            catch (RedisServerException e) when (attempt < TryAgainAttempts
                && (e.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal) || (transactions && e.Message.StartsWith("EXECABORT", StringComparison.Ordinal))))
            {
                await Task.Delay(TryAgainPause);
            }
        }
    }

    /// <summary>
    /// The health of a cluster: in the client's slot map (the <c>CLUSTER NODES</c> StackExchange.Redis last read; asking
    /// again needs admin mode) every one of the 16384 slots is served by a master not marked failed, and each of those
    /// masters answers a key command on one of its slots (EXISTS of a probe key). A key command is what a cluster in
    /// state fail refuses (CLUSTERDOWN) and what a stale map gets redirected on (MOVED, which refreshes the map);
    /// PING is answered either way.
    /// </summary>
    public static async Task PingClusterAsync(IConnectionMultiplexer redis)
    {
        var nodes = redis.GetServers().Where(s => s.IsConnected && s.ServerType == ServerType.Cluster).Select(s => s.ClusterConfiguration)
            .FirstOrDefault(c => c is not null) ?? throw new InvalidOperationException("no cluster node connected");
        var serving = nodes.Nodes.Where(n => !n.IsReplica && !n.IsFail && n.Slots.Count > 0).ToList();
        var served = serving.SelectMany(n => n.Slots).Sum(range => range.To - range.From + 1);
        if (served < 16384)
        {
            throw new InvalidOperationException($"{16384 - served} of 16384 hash slots have no live master");
        }

        await Task.WhenAll(serving.Select(n => ProbeAsync(redis, n.Slots[0].From)));
    }

    private static async Task ProbeAsync(IConnectionMultiplexer redis, int slot)
    {
        try
        {
            await redis.GetDatabase().KeyExistsAsync(ProbeKeys.GetOrAdd(slot, ProbeKey, redis));
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOPERM", StringComparison.Ordinal))
        {
            // A credential restricted to namespaces may not read the probe key: the master answered all the same.
        }
        catch (RedisServerException e)
        {
            // The probe key is Prism's own: the answer names no user key.
            throw new InvalidOperationException($"the master of slot {slot} refuses key commands: {e.Message}", e);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, RedisKey> ProbeKeys = new();

    /// <summary><c>prism:health:{n}</c> with the first n whose hash tag falls in <paramref name="slot"/>.</summary>
    private static RedisKey ProbeKey(int slot, IConnectionMultiplexer redis)
    {
        for (var n = 0; n < 10_000_000; n++)
        {
            RedisKey key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"prism:health:{{{n}}}");
            if (redis.HashSlot(key) == slot)
            {
                return key;
            }
        }

        throw new InvalidOperationException($"no probe key for slot {slot}");
    }
}
