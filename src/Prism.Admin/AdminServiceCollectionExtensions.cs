using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prism.Admin.Apply;
using Prism.Admin.Audit;
using Prism.Admin.Backends;
using Prism.Admin.Calls;
using Prism.Admin.Configs;
using Prism.Admin.Grpc;
using Prism.Admin.Namespaces;
using Prism.Admin.Operations;
using Prism.Admin.Paging;
using Prism.Admin.Queues;
using Prism.ControlStore;
using Prism.ControlStore.Denials;
using Prism.Backends;
using Prism.Hosting.Modules;
using Prism.Security;
using Prism.Security.Revocation;

namespace Prism.Admin;

/// <summary>Registration of the admin control plane.</summary>
public static class AdminServiceCollectionExtensions
{
    /// <summary>Adds AdminService, its domain services, store, security and backend health checks.</summary>
    public static IServiceCollection AddPrismAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddPrismSecurity(configuration);
        services.AddPrismControlStore(configuration);
        // Identities an operator terminated (all their sessions): every process refuses their earlier tokens within a poll.
        services.TryAddSingleton<IRevokedIdentitySource>(sp => new DelegatingRevokedIdentitySource(async cancellation =>
            (await sp.GetRequiredService<IControlStore>().ListRevokedIdentitiesAsync(cancellation)).ToDictionary(r => r.Identity, r => r.RevokedAt, StringComparer.Ordinal)));
        services.AddPrismBackends();

        services.AddOptions<AdminOptions>().Configure(o => o.ReadFrom(configuration)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>());
        services.TryAddSingleton(sp => new PageCursor(Encoding.UTF8.GetBytes(sp.GetRequiredService<IOptions<AdminOptions>>().Value.CursorKey)));
        services.TryAddSingleton(sp => new ActorRateLimiter(sp.GetRequiredService<IOptions<AdminOptions>>().Value.RateLimitPerMinute));
        services.TryAddSingleton<AuditEntries>();
        services.TryAddSingleton<AuditWriter>();
        services.TryAddSingleton<AuditReader>();
        services.TryAddSingleton<BackendInstanceCatalog>();
        services.TryAddSingleton<NamespaceCatalog>();
        services.TryAddSingleton<DeclarativeApply>();
        services.TryAddSingleton<ConfigCatalog>();
        services.TryAddSingleton<SessionDirectory>();
        services.TryAddSingleton<ControlPlane>();
        services.TryAddSingleton<AdminMetrics>();
        services.TryAddSingleton<DeadLetterCatalog>();
        services.TryAddSingleton(sp => new DeniedCallAuditor(
            sp.GetRequiredService<IControlStore>(),
            new DeniedCallLedger(sp.GetRequiredService<IOptions<AdminOptions>>().Value.AnonymousRateLimitPerMinute, TimeSpan.FromMinutes(1), sp.GetRequiredService<TimeProvider>()),
            "admin",
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DeniedCallAuditor>>()));
        services.AddHostedService(sp => sp.GetRequiredService<DeniedCallAuditor>());
        services.TryAddSingleton<RetentionPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPruner>());

        services.AddGrpc(o => o.MaxReceiveMessageSize = 4 * 1024 * 1024)
            .AddServiceOptions<AdminGrpcService>(o => o.Interceptors.Add<AdminCallInterceptor>());
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<ControlStoreHealthCheck>("control-store");
        return services;
    }

    /// <summary>Maps AdminService, gRPC health and reflection.</summary>
    public static IEndpointRouteBuilder MapPrismAdmin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<AdminGrpcService>();
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        endpoints.MapProbeEndpoints();
        return endpoints;
    }
}
