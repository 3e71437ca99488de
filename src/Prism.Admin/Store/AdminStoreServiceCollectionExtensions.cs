using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prism.Hosting.Settings;

namespace Prism.Admin.Store;

/// <summary>Registers the admin store.</summary>
public static class AdminStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAdminStore"/> and its <see cref="AdminDatabase"/>: PostgreSQL when
    /// <see cref="StoreSettings.DatabaseUrl"/> is set, else SQLite at <c>PRISM_HOME/data/admin.db</c>
    /// (needs <see cref="PrismHome"/> registered). Call <see cref="IAdminStore.MigrateAsync"/> at start,
    /// before serving. Registered with TryAdd, so a host or test may register its own first.
    /// </summary>
    public static IServiceCollection AddPrismAdminStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLogging();
        services.TryAddSingleton(sp => CreateDatabase(configuration, sp));
        services.TryAddSingleton<IAdminStore, AdminStore>();
        return services;
    }

    private static AdminDatabase CreateDatabase(IConfiguration configuration, IServiceProvider services)
    {
        var url = configuration[StoreSettings.DatabaseUrl.Key];
        if (string.IsNullOrWhiteSpace(url))
        {
            return AdminDatabase.Sqlite(Path.Combine(services.GetRequiredService<PrismHome>().DataDirectory, "admin.db"));
        }

        try
        {
            return AdminDatabase.Postgres(url);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{StoreSettings.DatabaseUrl.Display}: {e.Message}", e);
        }
    }
}
