using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prism.Backends.Instances;
using Prism.Hosting.Settings;

namespace Prism.ControlStore;

/// <summary>Registers the control store.</summary>
public static class ControlStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IControlStore"/> and its <see cref="ControlDatabase"/>: PostgreSQL when
    /// <see cref="StoreSettings.DatabaseUrl"/> is set, else SQLite at <c>PRISM_HOME/data/admin.db</c>
    /// (needs <see cref="PrismHome"/> registered). Call <see cref="IStoreSchema.MigrateAsync"/> at start,
    /// before serving. Registered with TryAdd, so a host or test may register its own first.
    /// </summary>
    public static IServiceCollection AddPrismControlStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLogging();
        services.TryAddSingleton(sp => CreateDatabase(configuration, sp));
        services.TryAddSingleton<IControlStore, ControlStore>();
        services.TryAddSingleton<IStoreSchema>(sp => sp.GetRequiredService<IControlStore>());
        services.TryAddSingleton<INamespaceSource>(sp => sp.GetRequiredService<IControlStore>());
        services.TryAddSingleton<ISessionLedger>(sp => sp.GetRequiredService<IControlStore>());
        services.TryAddSingleton<IControlStateSource>(sp => sp.GetRequiredService<IControlStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBackendInstanceSource, IControlStore>(sp => sp.GetRequiredService<IControlStore>()));
        return services;
    }

    private static ControlDatabase CreateDatabase(IConfiguration configuration, IServiceProvider services)
    {
        var url = configuration[StoreSettings.DatabaseUrl.Key];
        if (string.IsNullOrWhiteSpace(url))
        {
            return ControlDatabase.Sqlite(Path.Combine(services.GetRequiredService<PrismHome>().DataDirectory, "admin.db"));
        }

        try
        {
            return ControlDatabase.Postgres(url);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{StoreSettings.DatabaseUrl.Display}: {e.Message}", e);
        }
    }
}
