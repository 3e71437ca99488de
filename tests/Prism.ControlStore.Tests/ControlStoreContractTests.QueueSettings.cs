namespace Prism.ControlStore.Tests;

public abstract partial class ControlStoreContractTests
{
    [Fact]
    public async Task NamespaceQueueSettings_RoundTrip_AndDefaultToNone()
    {
        var settings = new QueueDefaults(MaxInFlight: 8, VisibilityTimeout: TimeSpan.FromSeconds(45), MaxRetries: 3);
        var created = await Store.CreateNamespaceAsync(TestRecords.Namespace("jobs") with { Queue = settings }, TestRecords.Audit(), CancellationToken.None).Timed();
        await Store.CreateNamespaceAsync(TestRecords.Namespace("plain"), TestRecords.Audit(), CancellationToken.None).Timed();

        Assert.Equal(settings, (await Store.GetNamespaceAsync("jobs", CancellationToken.None).Timed())!.Queue);
        Assert.Equal(QueueDefaults.None, (await Store.GetNamespaceAsync("plain", CancellationToken.None).Timed())!.Queue);

        var updated = await Store.UpdateNamespaceAsync(created with { Queue = settings with { MaxRetries = 0, MaxInFlight = null } }, TestRecords.Audit(), CancellationToken.None).Timed();
        var read = (await Store.GetNamespaceAsync("jobs", CancellationToken.None).Timed())!.Queue;
        Assert.Equal((null, TimeSpan.FromSeconds(45), 0), (read.MaxInFlight, read.VisibilityTimeout, read.MaxRetries));
        Assert.Equal(2, updated.Version);
    }
}
