using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.Interfaces.KeyValue;

namespace Prism.Proxy.Bench;

/// <summary>
/// The transport's ceiling: the same KeyValueBasic service on Kestrel + Grpc.AspNetCore with a
/// dictionary behind it and nothing else (no auth, no routing, no telemetry).
/// </summary>
public static class BareGrpcServer
{
    public static async Task<WebApplication> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<DictionaryKeyValue>();
        var app = builder.Build();
        app.MapGrpcService<DictionaryKeyValue>();
        await app.StartAsync();
        return app;
    }

    private sealed class DictionaryKeyValue : KeyValueBasicInterface.KeyValueBasicInterfaceBase
    {
        private readonly ConcurrentDictionary<string, ByteString> _values = new(StringComparer.Ordinal);

        public override Task<SetResponse> Set(SetRequest request, ServerCallContext context)
        {
            _values[request.Key] = request.Value;
            return Task.FromResult(new SetResponse { Success = true });
        }

        public override Task<GetResponse> Get(GetRequest request, ServerCallContext context) =>
            Task.FromResult(_values.TryGetValue(request.Key, out var value)
                ? new GetResponse { Found = true, Value = value }
                : new GetResponse());
    }
}
