using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prism.Admin.Apply;
using Prism.Admin.Audit;
using Prism.Admin.Backends;
using Prism.Admin.Calls;
using Prism.Admin.Configs;
using Prism.Admin.Grpc;
using Prism.Admin.Namespaces;
using Prism.Admin.Operations;
using Prism.Admin.Paging;
using Prism.ControlStore;
using Prism.Backends;
using Prism.Security;

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
        services.AddPrismBackends();

        var cursorKey = configuration[AdminSettings.CursorKey.Key] is { Length: > 0 } key ? key : AdminSettings.DevelopmentCursorKey;
        if (cursorKey.Length < 32)
        {
            throw new InvalidOperationException($"{AdminSettings.CursorKey.Display} must be at least 32 characters.");
        }

        var rateLimit = int.TryParse(configuration[AdminSettings.RateLimit.Key], NumberStyles.None, CultureInfo.InvariantCulture, out var perMinute) && perMinute > 0
            ? perMinute
            : throw new InvalidOperationException($"{AdminSettings.RateLimit.Display} must be a positive whole number.");

        services.TryAddSingleton(new PageCursor(Encoding.UTF8.GetBytes(cursorKey)));
        services.TryAddSingleton(new ActorRateLimiter(rateLimit));
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
        return endpoints;
    }
}
