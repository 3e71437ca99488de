using Prism.Backends.KeyValue;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests.KeyValue;

/// <summary>
/// What every key-value driver must do. Each backend derives once; every test works in its own
/// namespace, so tests sharing a server never see each other's keys.
/// </summary>
public abstract partial class KeyValueContract : IAsyncLifetime
{
    protected string Ns { get; } = "ns-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The driver under test (created in <see cref="InitializeAsync"/>).</summary>
    protected abstract IKeyValueStore Store { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Set_ThenGet_ReturnsTheValue()
    {
        await Store.SetAsync(Ns, "greeting", "hello"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        var got = await Store.GetAsync(Ns, "greeting", default).WaitAsync(Timeouts.Await);

        Assert.True(got.Found);
        Assert.Equal("hello"u8.ToArray(), got.Value.ToArray());
    }

    [Fact]
    public async Task Set_Twice_KeepsTheLastValue()
    {
        await Store.SetAsync(Ns, "k", "first"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await Store.SetAsync(Ns, "k", "second"u8.ToArray(), new Dictionary<string, string> { ["tag"] = "x" }, default).WaitAsync(Timeouts.Await);

        Assert.Equal("second"u8.ToArray(), (await Store.GetAsync(Ns, "k", default).WaitAsync(Timeouts.Await)).Value.ToArray());
    }

    [Fact]
    public async Task BinaryValues_WithEveryByte_RoundTrip()
    {
        var every = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Enumerable.Range(0, 256).Select(i => (byte)(255 - i))).ToArray();
        await Store.SetAsync(Ns, "binary", every, null, default).WaitAsync(Timeouts.Await);

        Assert.Equal(every, (await Store.GetAsync(Ns, "binary", default).WaitAsync(Timeouts.Await)).Value.ToArray());
    }

    [Fact]
    public async Task EmptyValue_IsFound_AndEmpty()
    {
        await Store.SetAsync(Ns, "empty", ReadOnlyMemory<byte>.Empty, null, default).WaitAsync(Timeouts.Await);

        var got = await Store.GetAsync(Ns, "empty", default).WaitAsync(Timeouts.Await);

        Assert.True(got.Found);
        Assert.Equal(0, got.Value.Length);
        Assert.True(await Store.ExistsAsync(Ns, "empty", default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task OneMebibyteValue_RoundTrips()
    {
        var value = new byte[1024 * 1024];
        new Random(42).NextBytes(value);

        await Store.SetAsync(Ns, "big", value, null, default).WaitAsync(Timeouts.Await);

        Assert.Equal(value, (await Store.GetAsync(Ns, "big", default).WaitAsync(Timeouts.Await)).Value.ToArray());
    }

    [Fact]
    public async Task MissingKey_IsNotFound_AndDoesNotExist()
    {
        var got = await Store.GetAsync(Ns, "never-set", default).WaitAsync(Timeouts.Await);

        Assert.False(got.Found);
        Assert.False(await Store.ExistsAsync(Ns, "never-set", default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task Delete_RemovesTheKey_AndDeletingAMissingKeySucceeds()
    {
        await Store.SetAsync(Ns, "doomed", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        Assert.True(await Store.ExistsAsync(Ns, "doomed", default).WaitAsync(Timeouts.Await));

        Assert.True(await Store.DeleteAsync(Ns, "doomed", default).WaitAsync(Timeouts.Await));
        Assert.False(await Store.DeleteAsync(Ns, "doomed", default).WaitAsync(Timeouts.Await));

        Assert.False((await Store.GetAsync(Ns, "doomed", default).WaitAsync(Timeouts.Await)).Found);
        Assert.False(await Store.ExistsAsync(Ns, "doomed", default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task Namespaces_AreIsolated_EvenWithCraftedKeys()
    {
        // With a naive "ns:key" prefix, (a, "b:c") and (a:b, "c") would be the same key.
        var a = Ns + "a";
        var ab = Ns + "a:b";
        await Store.SetAsync(a, "b:c", "from-a"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await Store.SetAsync(ab, "c", "from-ab"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        Assert.Equal("from-a"u8.ToArray(), (await Store.GetAsync(a, "b:c", default).WaitAsync(Timeouts.Await)).Value.ToArray());
        Assert.Equal("from-ab"u8.ToArray(), (await Store.GetAsync(ab, "c", default).WaitAsync(Timeouts.Await)).Value.ToArray());
        Assert.False((await Store.GetAsync(Ns + "other", "b:c", default).WaitAsync(Timeouts.Await)).Found);

        await Store.DeleteAsync(ab, "c", default).WaitAsync(Timeouts.Await);
        Assert.True((await Store.GetAsync(a, "b:c", default).WaitAsync(Timeouts.Await)).Found);
    }

    [Fact]
    public async Task ConcurrentWriters_LeaveAConsistentState()
    {
        const int Writers = 8;
        const int KeysEach = 20;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < KeysEach; i++)
            {
                await Store.SetAsync(Ns, $"w{w}-{i}", BitConverter.GetBytes(w * 1000 + i), null, default);
                await Store.SetAsync(Ns, "shared", BitConverter.GetBytes(w), null, default);
            }
        }))).WaitAsync(Timeouts.Await);

        var keys = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, KeysEach).Select(i => (w, i))).ToList();
        var values = await Store.BatchGetAsync(Ns, [.. keys.Select(k => $"w{k.w}-{k.i}")], default).WaitAsync(Timeouts.Await);
        Assert.All(keys.Zip(values), pair => Assert.Equal(BitConverter.GetBytes(pair.First.w * 1000 + pair.First.i), pair.Second.Value.ToArray()));

        var shared = await Store.GetAsync(Ns, "shared", default).WaitAsync(Timeouts.Await);
        Assert.Contains(BitConverter.ToInt32(shared.Value.Span), Enumerable.Range(0, Writers));
    }

    [Fact]
    public void Capabilities_MatchTheCatalog()
    {
        Assert.Contains(Capabilities.KeyValueBasic, Store.Capabilities);
        Assert.Contains(Capabilities.KeyValueTtl, Store.Capabilities);
        Assert.Contains(Capabilities.KeyValueBatch, Store.Capabilities);
    }
}
