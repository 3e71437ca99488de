using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Prism.ControlStore;
using Prism.ControlStore.Denials;
using Prism.Backends;
using Prism.Hosting.Modules;
using Prism.Proxy.Control;
using Prism.Proxy.Credentials;
using Prism.Proxy.Grpc;
using Prism.Proxy.Operations;
using Prism.Proxy.Routing;
using Prism.Proxy.Sessions;
using Prism.Security;
using Prism.Security.Revocation;

namespace Prism.Proxy;

/// <summary>Registration of the data proxy.</summary>
public static class ProxyServiceCollectionExtensions
{
    /// <summary>Adds the data-plane services, their routing, sessions and control-state polling, the store, security and backends.</summary>
    public static IServiceCollection AddPrismProxy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = ProxyOptions.Read(configuration);
        var deniedAuditLimit = ProxySettings.DeniedAuditLimit.PositiveInt(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddPrismSecurity(configuration);
        services.AddPrismControlStore(configuration);
        // Identities an operator terminated (all their sessions): every process refuses their earlier tokens within a poll.
        services.TryAddSingleton<IRevokedIdentitySource>(sp => new DelegatingRevokedIdentitySource(async cancellation =>
            (await sp.GetRequiredService<IControlStore>().ListRevokedIdentitiesAsync(cancellation)).ToDictionary(r => r.Identity, r => r.RevokedAt, StringComparer.Ordinal)));
        services.AddPrismBackends();

        services.TryAddSingleton(options);
        services.TryAddSingleton<RequestLimits>();
        services.TryAddSingleton<ControlStateCache>();
        services.TryAddSingleton<NamespaceDirectory>();
        services.TryAddSingleton<NamespaceRateLimiter>();
        services.TryAddSingleton<LeaseKeeper>();
        services.TryAddSingleton<SessionRegistry>();
        services.TryAddSingleton<DataPlaneRouter>();
        services.TryAddSingleton<KeyValueOperations>();
        services.TryAddSingleton<PubSubOperations>();
        services.TryAddSingleton<QueueOperations>();
        services.TryAddSingleton(sp => new DeniedCallAuditor(
            sp.GetRequiredService<IControlStore>(),
            new DeniedCallLedger(deniedAuditLimit, TimeSpan.FromMinutes(1), sp.GetRequiredService<TimeProvider>()),
            "proxy",
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DeniedCallAuditor>>()));
        services.TryAddSingleton<RejectionAudit>();
        // Registered first so it stops last, writing what the others refused while stopping.
        services.AddHostedService(sp => sp.GetRequiredService<DeniedCallAuditor>());
        services.TryAddSingleton<ControlStateMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ControlStateMonitor>());
        // Stopped in reverse order: sessions close (revoking their credentials) before the keeper revokes what is left.
        services.AddHostedService<LeaseKeeperService>();
        services.AddHostedService<SessionFlusher>();
        services.AddHostedService<BackendRefresher>();

        services.AddGrpc(o =>
        {
            // Above key + value, so an oversized value reaches the proxy's own INVALID_ARGUMENT check.
            o.MaxReceiveMessageSize = options.MaxRequestBytes;
            o.Interceptors.Add<ProxyErrorInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<ControlStoreHealthCheck>("control-store");
        return services;
    }

    /// <summary>Maps the five data-plane services, gRPC health and reflection.</summary>
    public static IEndpointRouteBuilder MapPrismProxy(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<KeyValueBasicService>();
        endpoints.MapGrpcService<KeyValueTtlService>();
        endpoints.MapGrpcService<KeyValueBatchService>();
        endpoints.MapGrpcService<PubSubService>();
        endpoints.MapGrpcService<QueueService>();
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        endpoints.MapProbeEndpoints();
        return endpoints;
    }
}
