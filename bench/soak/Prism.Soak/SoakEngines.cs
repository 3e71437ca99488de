using Prism.Testing.Servers;

namespace Prism.Soak;

/// <summary>The engines behind the proxies. TEMPORARY single nodes until the cluster fixtures land.</summary>
internal sealed class SoakEngines : IAsyncDisposable
{
    private RedisServer _redis = null!;
    private NatsServer _nats = null!;

    public string RedisUrl => _redis.Url;

    public string NatsUrl => _nats.Url;

    public string Description => $"redis {_redis.Port}, nats {_nats.Port}";

    public static async Task<SoakEngines> StartAsync() =>
        new() { _redis = await RedisServer.StartNewAsync(appendFsyncAlways: true), _nats = await NatsServer.StartNewAsync() };

    public Task<string> KillNatsNodeAsync() => Task.FromResult("not yet");

    public Task<string> KillRedisMasterAsync() => Task.FromResult("not yet");

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _nats.DisposeAsync();
    }
}
