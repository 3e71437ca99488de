namespace Prism.Admin.Tests;

/// <summary>One admin server shared by the tests of a class.</summary>
public sealed class AdminServerFixture : IAsyncLifetime
{
    public AdminServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await AdminServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
