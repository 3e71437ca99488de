using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prism.Backends.Health;

namespace Prism.Backends;

/// <summary>Registration of the backend catalog, instances and health checks.</summary>
public static class BackendServiceCollectionExtensions
{
    /// <summary>Adds <see cref="BackendCatalog"/>, <see cref="BackendDrivers"/> and <see cref="BackendHealthChecker"/>.</summary>
    public static IServiceCollection AddPrismBackends(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BackendCatalog>();
        services.TryAddSingleton<BackendDrivers>();
        services.TryAddSingleton<BackendHealthChecker>();
        return services;
    }
}
