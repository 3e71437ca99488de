using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Prism.Client;

/// <summary>Registers the Prism clients in a service collection.</summary>
public static class PrismClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PrismConnection"/> (one per container) and the KeyValue, PubSub and Queue
    /// clients, with options bound from <paramref name="configuration"/> (e.g. the <c>Prism</c> section),
    /// then unset values from the <c>PRISM_*</c> environment variables.
    /// </summary>
    public static IServiceCollection AddPrismClient(this IServiceCollection services, IConfiguration configuration, Action<PrismClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PrismClientOptions>().Bind(configuration);
        return services.AddPrismClient(configure ?? (_ => { }));
    }

    /// <summary>Registers the clients with options set in code (then unset values from <c>PRISM_*</c> environment variables).</summary>
    public static IServiceCollection AddPrismClient(this IServiceCollection services, Action<PrismClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PrismClientOptions>().Configure(configure).PostConfigure(options => PrismClientEnvironment.Apply(options));
        services.TryAddSingleton(provider => new PrismConnection(provider.GetRequiredService<IOptions<PrismClientOptions>>().Value));
        services.TryAddSingleton(provider => new PrismKeyValueClient(provider.GetRequiredService<PrismConnection>()));
        services.TryAddSingleton(provider => new PrismPubSubClient(provider.GetRequiredService<PrismConnection>()));
        services.TryAddSingleton(provider => new PrismQueueClient(provider.GetRequiredService<PrismConnection>()));
        return services;
    }
}
