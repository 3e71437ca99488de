using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.Admin.V1;

namespace Prism.Admin.Bench;

/// <summary>
/// The transport's ceiling for the admin API: <c>AdminService.ListNamespaces</c> on Kestrel + Grpc.AspNetCore
/// answering the same page from memory, with no authentication, store, audit or telemetry.
/// </summary>
public static class BareAdminServer
{
    public static async Task<WebApplication> StartAsync(int port, ListNamespacesResponse page)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new MemoryAdmin(page));
        var app = builder.Build();
        app.MapGrpcService<MemoryAdmin>();
        await app.StartAsync();
        return app;
    }

    private sealed class MemoryAdmin(ListNamespacesResponse page) : AdminService.AdminServiceBase
    {
        public override Task<ListNamespacesResponse> ListNamespaces(ListNamespacesRequest request, ServerCallContext context) => Task.FromResult(page);
    }
}
