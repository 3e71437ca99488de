using Prism.Backends.KeyValue;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests.KeyValue;

public abstract partial class KeyValueContract
{
    [Fact]
    public async Task Batch_ReturnsOneResultPerItem_InOrder()
    {
        var set = await Store.BatchSetAsync(Ns,
        [
            new KeyValueWrite("a", "1"u8.ToArray()),
            new KeyValueWrite("b", ReadOnlyMemory<byte>.Empty),
            new KeyValueWrite("c", "3"u8.ToArray()),
        ], default).WaitAsync(Timeouts.Await);
        Assert.Equal(3, set.Count);
        Assert.All(set, r => Assert.True(r.Success));

        var got = await Store.BatchGetAsync(Ns, ["c", "missing", "a", "b", "a"], default).WaitAsync(Timeouts.Await);
        Assert.Equal([true, false, true, true, true], got.Select(g => g.Found));
        Assert.Equal(["3", "", "1", "", "1"], got.Select(g => System.Text.Encoding.UTF8.GetString(g.Value.Span)));

        var deleted = await Store.BatchDeleteAsync(Ns, ["a", "missing"], default).WaitAsync(Timeouts.Await);
        Assert.Equal(2, deleted.Count);
        Assert.All(deleted, r => Assert.True(r.Success));
        Assert.False((await Store.GetAsync(Ns, "a", default).WaitAsync(Timeouts.Await)).Found);
        Assert.True((await Store.GetAsync(Ns, "c", default).WaitAsync(Timeouts.Await)).Found);
    }

    [Fact]
    public async Task BatchSet_WithARepeatedKey_KeepsTheLastValue()
    {
        await Store.BatchSetAsync(Ns, [new KeyValueWrite("k", "1"u8.ToArray()), new KeyValueWrite("k", "2"u8.ToArray())], default).WaitAsync(Timeouts.Await);

        Assert.Equal("2"u8.ToArray(), (await Store.GetAsync(Ns, "k", default).WaitAsync(Timeouts.Await)).Value.ToArray());
    }

    [Fact]
    public async Task EmptyBatches_ReturnNoResults()
    {
        Assert.Empty(await Store.BatchSetAsync(Ns, [], default).WaitAsync(Timeouts.Await));
        Assert.Empty(await Store.BatchGetAsync(Ns, [], default).WaitAsync(Timeouts.Await));
        Assert.Empty(await Store.BatchDeleteAsync(Ns, [], default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task BatchGet_DoesNotSeeExpiredKeys_OrOtherNamespaces()
    {
        await Store.SetAsync(Ns, "live", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await Store.SetAsync(Ns + "-other", "foreign", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await Store.SetAsync(Ns, "short", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await Store.ExpireAsync(Ns, "short", TimeSpan.FromSeconds(1), default).WaitAsync(Timeouts.Await);

        await LetExpireAsync(async () => !(await Store.BatchGetAsync(Ns, ["short"], default))[0].Found);

        var got = await Store.BatchGetAsync(Ns, ["live", "short", "foreign"], default).WaitAsync(Timeouts.Await);
        Assert.Equal([true, false, false], got.Select(g => g.Found));
    }
}
