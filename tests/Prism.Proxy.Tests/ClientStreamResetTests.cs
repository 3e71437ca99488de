using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.Client;
using Prism.Interfaces.KeyValue;
using Prism.Testing;

namespace Prism.Proxy.Tests;

/// <summary>
/// A call whose HTTP/2 stream is reset by the server side (a proxy killed behind a load balancer: HAProxy
/// answers RST_STREAM CANCEL) is attempted again, like UNAVAILABLE; a call the caller cancels is not.
/// </summary>
public sealed class ClientStreamResetTests
{
    [Fact]
    public async Task AStreamResetByTheServer_IsRetried()
    {
        await using var server = await ResettingServer.StartAsync(resets: 1);
        using var connection = Connect(server);

        var value = await new PrismKeyValueClient(connection).GetAsync("k");

        Assert.Equal("v"u8.ToArray(), value);
        Assert.Equal(2, server.Calls);
    }

    [Fact]
    public async Task ResetsBeyondMaxAttempts_FailWithCancelled_AfterEveryAttempt()
    {
        await using var server = await ResettingServer.StartAsync(resets: 10);
        using var connection = Connect(server, maxAttempts: 3);

        var error = await Assert.ThrowsAsync<RpcException>(() => new PrismKeyValueClient(connection).GetAsync("k"));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(3, server.Calls);
    }

    [Fact]
    public async Task ACallTheCallerCancels_IsNotRetried()
    {
        await using var server = await ResettingServer.StartAsync(resets: 0, delay: TimeSpan.FromSeconds(30));
        using var connection = Connect(server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var error = await Record.ExceptionAsync(() => new PrismKeyValueClient(connection).GetAsync("k", cancel.Token));

        Assert.True(error is OperationCanceledException || error is RpcException { StatusCode: StatusCode.Cancelled }, error?.ToString());
        Assert.Equal(1, server.Calls);
    }

    private static PrismConnection Connect(ResettingServer server, int maxAttempts = 4) => new(new PrismClientOptions
    {
        Endpoint = server.Address,
        Namespace = "ns",
        Token = "token",
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
    });

    /// <summary>A KeyValue Get that resets its HTTP/2 stream with CANCEL for the first <c>resets</c> calls, then answers.</summary>
    private sealed class ResettingServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ResetPlan _plan;

        private ResettingServer(WebApplication app, ResetPlan plan, Uri address)
        {
            _app = app;
            _plan = plan;
            Address = address;
        }

        public Uri Address { get; }

        public int Calls => _plan.Calls;

        public static async Task<ResettingServer> StartAsync(int resets, TimeSpan delay = default)
        {
            var port = FreePort.Next();
            var plan = new ResetPlan(resets, delay);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(plan);
            var app = builder.Build();
            app.MapGrpcService<ResettingKeyValue>();
            await app.StartAsync();
            return new ResettingServer(app, plan, new Uri($"http://127.0.0.1:{port}"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class ResetPlan(int resets, TimeSpan delay)
    {
        private int _calls;

        public int Resets => resets;

        public TimeSpan Delay => delay;

        public int Calls => Volatile.Read(ref _calls);

        public int NextCall() => Interlocked.Increment(ref _calls);
    }

    private sealed class ResettingKeyValue(ResetPlan plan) : KeyValueBasicInterface.KeyValueBasicInterfaceBase
    {
        public override async Task<GetResponse> Get(GetRequest request, ServerCallContext context)
        {
            var call = plan.NextCall();
            if (plan.Delay > TimeSpan.Zero)
            {
                await Task.Delay(plan.Delay, context.CancellationToken);
            }

            if (call <= plan.Resets)
            {
                context.GetHttpContext().Features.Get<IHttpResetFeature>()!.Reset(0x8); // CANCEL, as HAProxy sends when the server behind it died
            }

            return new GetResponse { Found = true, Value = Google.Protobuf.ByteString.CopyFromUtf8("v") };
        }
    }
}
