namespace Prism.Proxy.Tests.Support;

/// <summary>One proxy shared by the tests of a class (memstore and sqlite need no server).</summary>
public sealed class ProxyServerFixture : IAsyncLifetime
{
    public ProxyServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ProxyServer.StartAsync(new Dictionary<string, string?>
    {
        ["proxy:max_batch_items"] = "10",
        ["backends:subscriber_buffer"] = "4",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
