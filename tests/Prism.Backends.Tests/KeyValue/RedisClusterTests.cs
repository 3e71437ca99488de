using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Prism.Backends.Drivers.Redis;
using Prism.Backends.KeyValue;
using Prism.Backends.Queue;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.KeyValue;

/// <summary>What only a Redis Cluster shows: batches across masters, the endpoints, a slot moving under load.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterTests(RedisClusterFixture redis) : IAsyncLifetime
{
    private readonly string _ns = "ns-" + Guid.NewGuid().ToString("N")[..12];
    private TestBackends? _drivers;

    private IKeyValueStore Store => _drivers!.Registry.KeyValue("redis")!;

    public Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings((RedisBackendType.UrlSetting, redis.Cluster.Url)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _drivers!.DisposeAsync();

    [Fact]
    public void AUrlWithSeveralHosts_NamesEveryNode_AndIsShownWithoutTheCredential()
    {
        Assert.Equal("a:7000,b:7001,c:6379,user=u,password=p@s", ConnectionStrings.Redis("redis://u:p%40s@a:7000,b:7001,c"));
        Assert.Equal("a:7000,b:7001,ssl=true", ConnectionStrings.Redis("rediss://a:7000,b:7001/"));
        Assert.Equal("redis://a:7000,b:7001", ConnectionStrings.DisplayRedis("redis://u:p@a:7000,b:7001"));
        Assert.Equal("redis://a:7000,b:7001", ConnectionStrings.DisplayRedis("a:7000,b:7001,password=secret"));
        Assert.Throws<UriFormatException>(() => ConnectionStrings.Redis("redis://a:7000,,b:7001"));
    }

    [Fact]
    public async Task Instance_IsHealthy_AndShowsEveryConfiguredNode()
    {
        var instance = _drivers!.Registry.Find("redis")!;

        await instance.PingAsync(default).WaitAsync(Timeouts.Await);

        Assert.Equal(redis.Cluster.Url, instance.Endpoint);
    }

    [Fact]
    public async Task BatchesSpanningSlots_OnEveryMaster_AreWrittenReadAndDeleted()
    {
        var keys = Enumerable.Range(0, 30).Select(i => "k" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var owners = new HashSet<int>();
        foreach (var key in keys)
        {
            var slot = int.Parse(await redis.Cluster.Masters[0].SendAsync("CLUSTER", "KEYSLOT", (string)RedisKeyValueStore.KeyOf(_ns, key)!), CultureInfo.InvariantCulture);
            owners.Add((await redis.Cluster.OwnerOfAsync(slot)).Port);
        }

        Assert.Equal(3, owners.Count);

        await Store.BatchSetAsync(_ns, [.. keys.Select(k => new KeyValueWrite(k, Encoding.UTF8.GetBytes("v-" + k)))], default).WaitAsync(Timeouts.Await);
        var got = await Store.BatchGetAsync(_ns, [.. keys, "missing"], default).WaitAsync(Timeouts.Await);
        await Store.BatchDeleteAsync(_ns, keys[..20], default).WaitAsync(Timeouts.Await);
        var after = await Store.BatchGetAsync(_ns, keys, default).WaitAsync(Timeouts.Await);

        Assert.Equal([.. keys.Select(k => "v-" + k), ""], got.Select(g => Encoding.UTF8.GetString(g.Value.Span)));
        Assert.False(got[^1].Found);
        Assert.Equal([.. Enumerable.Repeat(false, 20), .. Enumerable.Repeat(true, 10)], after.Select(g => g.Found));
    }

    [Fact]
    public async Task ReshardingASlot_WhileAClientKeepsCallingOnItsKeys_FailsNoCall()
    {
        // One hash tag: every key of the test is in one slot.
        var keys = Enumerable.Range(0, 20).Select(i => "{moving}:" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var slot = int.Parse(await redis.Cluster.Masters[0].SendAsync("CLUSTER", "KEYSLOT", (string)RedisKeyValueStore.KeyOf(_ns, keys[0])!), CultureInfo.InvariantCulture);
        var expected = new ConcurrentDictionary<string, string>(keys.ToDictionary(k => k, k => "0"));
        await Store.BatchSetAsync(_ns, [.. keys.Select(k => new KeyValueWrite(k, "0"u8.ToArray()))], default).WaitAsync(Timeouts.Await);
        var source = await redis.Cluster.OwnerOfAsync(slot);
        var target = redis.Cluster.Masters.First(m => m != source);
        var failures = new ConcurrentQueue<string>();
        long calls = 0, callsWhileMoving = 0;
        var moving = false;
        using var stop = new CancellationTokenSource();

        var client = Task.Run(async () =>
        {
            for (var round = 1; !stop.IsCancellationRequested; round++)
            {
                var key = keys[round % keys.Length];
                var value = round.ToString(CultureInfo.InvariantCulture);
                await CallAsync(async () =>
                {
                    await Store.SetAsync(_ns, key, Encoding.UTF8.GetBytes(value), null, default);
                    expected[key] = value;
                });
                await CallAsync(async () => Check(key, await Store.GetAsync(_ns, key, default)));
                if (round % 5 == 0)
                {
                    await CallAsync(async () =>
                    {
                        var all = await Store.BatchGetAsync(_ns, keys, default);
                        for (var i = 0; i < keys.Length; i++)
                        {
                            Check(keys[i], all[i]);
                        }
                    });
                }
            }
        });

        async Task CallAsync(Func<Task> call)
        {
            try
            {
                await call().WaitAsync(Timeouts.Await);
            }
            catch (Exception e)
            {
                failures.Enqueue(e.GetType().Name + ": " + e.Message);
            }

            Interlocked.Increment(ref calls);
            if (Volatile.Read(ref moving))
            {
                Interlocked.Increment(ref callsWhileMoving);
            }
        }

        void Check(string key, KeyValueLookup got)
        {
            var value = Encoding.UTF8.GetString(got.Value.Span);
            if (!got.Found || value != expected[key])
            {
                failures.Enqueue($"{key}: read {(got.Found ? value : "(missing)")}, expected {expected[key]}");
            }
        }

        await RedisCluster.WaitAsync(() => Task.FromResult(Interlocked.Read(ref calls) > 50), "calls before the move");
        Volatile.Write(ref moving, true);
        var moved = await redis.Cluster.MoveSlotAsync(slot, target, batch: 4, pause: TimeSpan.FromMilliseconds(50));
        Volatile.Write(ref moving, false);
        var callsAfterMove = Interlocked.Read(ref calls);
        await RedisCluster.WaitAsync(() => Task.FromResult(Interlocked.Read(ref calls) > callsAfterMove + 100), "calls after the move");
        await stop.CancelAsync();
        await client.WaitAsync(Timeouts.Await);

        Assert.Empty(failures);
        Assert.Equal(keys.Length, moved);
        Assert.True(callsWhileMoving > 0, "no call overlapped the move");
        Assert.Equal(target.Port, (await redis.Cluster.OwnerOfAsync(slot)).Port);
        Assert.Equal(keys.Length.ToString(CultureInfo.InvariantCulture), await target.SendAsync("CLUSTER", "COUNTKEYSINSLOT", slot.ToString(CultureInfo.InvariantCulture)));
        var final = await Store.BatchGetAsync(_ns, keys, default).WaitAsync(Timeouts.Await);
        Assert.Equal(keys.Select(k => expected[k]), final.Select(f => Encoding.UTF8.GetString(f.Value.Span)));
    }

    [Fact]
    public async Task ReshardingAQueuesSlot_WhileMessagesFlow_FailsNoCall_AndLosesNoMessage()
    {
        var queue = _drivers!.Registry.Queue("redis")!;
        var slot = int.Parse(await redis.Cluster.Masters[0].SendAsync("CLUSTER", "KEYSLOT", (string)RedisKeyValueStore.KeyOf(_ns, "queue:{4:jobs}:messages")!),
            CultureInfo.InvariantCulture);
        var source = await redis.Cluster.OwnerOfAsync(slot);
        var target = redis.Cluster.Masters.First(m => m != source);
        var failures = new ConcurrentQueue<string>();
        var sent = new ConcurrentDictionary<string, bool>();
        var received = new ConcurrentDictionary<string, bool>();
        await using var member = await queue.ConsumeAsync(_ns, "jobs", "g", "m1", ConsumeOptions.Default, default).WaitAsync(Timeouts.Await);
        using var stop = new CancellationTokenSource();
        using var stopReading = new CancellationTokenSource();

        var producer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var key = i % 3 == 0 ? "key-" + i.ToString(CultureInfo.InvariantCulture) : null;
                    sent[await queue.EnqueueAsync(_ns, "jobs", Encoding.UTF8.GetBytes("m" + i.ToString(CultureInfo.InvariantCulture)), null, null, key, default)
                        .WaitAsync(Timeouts.Await)] = true;
                }
                catch (Exception e)
                {
                    failures.Enqueue("enqueue: " + e.Message);
                }
            }
        });
        var consumer = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in member.ReadAllAsync(stopReading.Token))
                {
                    received[message.MessageId] = true;
                    if (!await member.AckAsync(message.MessageId, default).WaitAsync(Timeouts.Await))
                    {
                        failures.Enqueue("ack refused: " + message.MessageId);
                    }
                }
            }
            catch (OperationCanceledException) when (stopReading.IsCancellationRequested)
            {
                // Done.
            }
            catch (Exception e)
            {
                failures.Enqueue("consume: " + e.Message);
            }
        });

        // Some 30 idempotency keys besides the stream, so the move takes a while.
        await RedisCluster.WaitAsync(() => Task.FromResult(received.Count > 20 && sent.Count > 90), "messages before the move");
        var moved = await redis.Cluster.MoveSlotAsync(slot, target, batch: 10, pause: TimeSpan.FromMilliseconds(50));
        var sentAfterMove = sent.Count;
        await RedisCluster.WaitAsync(() => Task.FromResult(sent.Count > sentAfterMove + 50), "messages after the move");
        await stop.CancelAsync();
        await producer.WaitAsync(Timeouts.Await);
        try
        {
            await RedisCluster.WaitAsync(() => Task.FromResult(sent.Keys.All(received.ContainsKey)), "every message received", TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"sent {sent.Count}, received {received.Count}, missing {sent.Keys.Count(k => !received.ContainsKey(k))}; failures: {string.Join(" | ", failures.Take(5))}");
        }
        await stopReading.CancelAsync();
        await consumer.WaitAsync(Timeouts.Await);

        Assert.Empty(failures);
        Assert.True(moved >= 20, $"moved {moved} keys");
        Assert.Equal(target.Port, (await redis.Cluster.OwnerOfAsync(slot)).Port);
        Assert.Equal(sent.Keys.Order(StringComparer.Ordinal), received.Keys.Order(StringComparer.Ordinal));
    }
}
