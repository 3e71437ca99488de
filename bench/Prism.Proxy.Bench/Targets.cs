using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Interfaces.KeyValue;
using StackExchange.Redis;

namespace Prism.Proxy.Bench;

/// <summary>Where the benchmark sends its Set and Get calls.</summary>
public interface IKeyValueTarget
{
    Task SetAsync(string key, byte[] value);

    Task GetAsync(string key);
}

/// <summary>Straight to Redis with StackExchange.Redis (one multiplexer, as the proxy's driver uses).</summary>
public sealed class DirectRedis(IDatabase database) : IKeyValueTarget
{
    public Task SetAsync(string key, byte[] value) => database.StringSetAsync(key, value);

    public async Task GetAsync(string key)
    {
        var read = await database.StringGetAsync(key);
        if (read.IsNull)
        {
            throw new InvalidOperationException("direct Get found nothing");
        }
    }
}

/// <summary>Through a gRPC server (the proxy, or the bare one) over one HTTP/2 channel, with a bearer token and the namespace.</summary>
public sealed class ThroughProxy(GrpcChannel channel, string token, string @namespace) : IKeyValueTarget
{
    private readonly KeyValueBasicInterface.KeyValueBasicInterfaceClient _client = new(channel);
    private readonly Metadata _headers = new() { { "authorization", "Bearer " + token }, { "x-prism-namespace", @namespace } };

    public async Task SetAsync(string key, byte[] value) =>
        await _client.SetAsync(new SetRequest { Key = key, Value = UnsafeByteOperations.UnsafeWrap(value) }, _headers);

    public async Task GetAsync(string key)
    {
        var read = await _client.GetAsync(new GetRequest { Key = key }, _headers);
        if (!read.Found)
        {
            throw new InvalidOperationException("proxy Get found nothing");
        }
    }
}
