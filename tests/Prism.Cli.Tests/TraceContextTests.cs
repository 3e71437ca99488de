using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.Admin.V1;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>prismctl sends W3C trace context, a request id and the bearer token on every admin call.</summary>
public sealed class TraceContextTests
{
    [Fact]
    public async Task AdminCalls_CarryTraceParent_RequestId_AndBearerToken()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<RecordingAdmin>();
        await using var app = builder.Build();
        app.MapGrpcService<RecordingAdmin>();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        using var home = new TempDirectory("prismctl-trace");

        var result = await CliRunner.RunAsync(Prismctl.Assembly, ["namespace", "list"], new Dictionary<string, string?>
        {
            ["PRISM_HOME"] = home.Path,
            ["PRISM_ADMIN_ENDPOINT"] = $"http://localhost:{port}",
            ["PRISM_TOKEN"] = "static-token",
        }, TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.ToString());
        var headers = app.Services.GetRequiredService<RecordingAdmin>().Headers.Single();
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", headers["traceparent"]);
        Assert.Matches("^[0-9a-f-]{36}$", headers["request-id"]);
        Assert.Equal("Bearer static-token", headers["authorization"]);
        await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class RecordingAdmin : AdminService.AdminServiceBase
    {
        public ConcurrentQueue<Dictionary<string, string>> Headers { get; } = new();

        public override Task<ListNamespacesResponse> ListNamespaces(ListNamespacesRequest request, ServerCallContext context)
        {
            Headers.Enqueue(context.RequestHeaders.Where(h => !h.IsBinary).GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.First().Value));
            return Task.FromResult(new ListNamespacesResponse());
        }
    }
}
