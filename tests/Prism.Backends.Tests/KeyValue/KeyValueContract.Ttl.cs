using Prism.Backends.KeyValue;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests.KeyValue;

public abstract partial class KeyValueContract
{
    /// <summary>
    /// Lets a one-second TTL run out and waits until <paramref name="isGone"/> holds. Real-time
    /// backends poll; a fake-time backend advances its clock.
    /// </summary>
    protected virtual Task LetExpireAsync(Func<Task<bool>> isGone) => Timeouts.EventuallyAsync(isGone, "the key expired");

    [Fact]
    public async Task Expire_MakesTheKeyDisappear()
    {
        await Store.SetAsync(Ns, "short", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        Assert.True(await Store.ExpireAsync(Ns, "short", TimeSpan.FromSeconds(1), default).WaitAsync(Timeouts.Await));

        await LetExpireAsync(async () => !(await Store.GetAsync(Ns, "short", default)).Found);
        Assert.False(await Store.ExistsAsync(Ns, "short", default).WaitAsync(Timeouts.Await));
        Assert.Equal(KeyValueTtl.Missing, await Store.GetTtlAsync(Ns, "short", default).WaitAsync(Timeouts.Await));
        Assert.False(await Store.PersistAsync(Ns, "short", default).WaitAsync(Timeouts.Await));
        Assert.False(await Store.ExpireAsync(Ns, "short", TimeSpan.FromSeconds(10), default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task GetTtl_ReportsMissing_NoExpiry_AndRemainingSeconds()
    {
        Assert.Equal(KeyValueTtl.Missing, await Store.GetTtlAsync(Ns, "absent", default).WaitAsync(Timeouts.Await));

        await Store.SetAsync(Ns, "k", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        Assert.Equal(KeyValueTtl.NoExpiry, await Store.GetTtlAsync(Ns, "k", default).WaitAsync(Timeouts.Await));

        await Store.ExpireAsync(Ns, "k", TimeSpan.FromSeconds(100), default).WaitAsync(Timeouts.Await);
        Assert.InRange(await Store.GetTtlAsync(Ns, "k", default).WaitAsync(Timeouts.Await), 1, 100);
    }

    [Fact]
    public async Task Expire_OnAMissingKey_ReportsItDidNotExist()
    {
        Assert.False(await Store.ExpireAsync(Ns, "absent", TimeSpan.FromSeconds(10), default).WaitAsync(Timeouts.Await));
        Assert.False(await Store.ExistsAsync(Ns, "absent", default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task Expire_WithZeroTtl_DeletesTheKey()
    {
        await Store.SetAsync(Ns, "k", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        Assert.True(await Store.ExpireAsync(Ns, "k", TimeSpan.Zero, default).WaitAsync(Timeouts.Await));

        Assert.False((await Store.GetAsync(Ns, "k", default).WaitAsync(Timeouts.Await)).Found);
    }

    [Fact]
    public async Task Persist_RemovesTheExpiry_OnlyWhenThereIsOne()
    {
        await Store.SetAsync(Ns, "k", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        Assert.False(await Store.PersistAsync(Ns, "k", default).WaitAsync(Timeouts.Await));
        Assert.False(await Store.PersistAsync(Ns, "absent", default).WaitAsync(Timeouts.Await));

        await Store.ExpireAsync(Ns, "k", TimeSpan.FromSeconds(100), default).WaitAsync(Timeouts.Await);
        Assert.True(await Store.PersistAsync(Ns, "k", default).WaitAsync(Timeouts.Await));

        Assert.Equal(KeyValueTtl.NoExpiry, await Store.GetTtlAsync(Ns, "k", default).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task Set_AfterExpire_ClearsTheExpiry()
    {
        await Store.SetAsync(Ns, "k", "x"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await Store.ExpireAsync(Ns, "k", TimeSpan.FromSeconds(100), default).WaitAsync(Timeouts.Await);

        await Store.SetAsync(Ns, "k", "y"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        Assert.Equal(KeyValueTtl.NoExpiry, await Store.GetTtlAsync(Ns, "k", default).WaitAsync(Timeouts.Await));
    }
}
