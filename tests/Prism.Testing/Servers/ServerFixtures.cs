namespace Prism.Testing.Servers;

/// <summary>One redis-server shared by a test collection (use with <c>ICollectionFixture</c>).</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public RedisServer Server { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync() => Server.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One nats-server (JetStream) shared by a test collection (use with <c>ICollectionFixture</c>).</summary>
public sealed class NatsFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public NatsServer Server { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync() => Server.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}
