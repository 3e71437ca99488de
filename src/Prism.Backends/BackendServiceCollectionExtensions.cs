using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prism.Backends.Health;

namespace Prism.Backends;

/// <summary>Registration of the backend catalog, connections and health checks.</summary>
public static class BackendServiceCollectionExtensions
{
    /// <summary>Adds <see cref="BackendCatalog"/>, <see cref="BackendConnections"/>, <see cref="BackendHealthChecker"/> and <see cref="BackendDrivers"/>.</summary>
    public static IServiceCollection AddPrismBackends(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BackendCatalog>();
        services.TryAddSingleton<BackendConnections>();
        services.TryAddSingleton<BackendHealthChecker>();
        services.TryAddSingleton<BackendDrivers>();
        return services;
    }
}
