using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prism.Hosting.Tls;
using Prism.Security.Authorization;
using Prism.Security.Configuration;
using Prism.Security.Revocation;
using Prism.Security.Tokens;

namespace Prism.Security;

/// <summary>Registration of the security core.</summary>
public static class SecurityServiceCollectionExtensions
{
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Adds <see cref="ITokenValidator"/> (the OIDC validator, or the local-developer one when
    /// <see cref="SecuritySettings.AuthDisabled"/> is true), <see cref="RolePolicy"/> and validated
    /// <see cref="SecurityOptions"/>. Every service is added with TryAdd, so hosts and tests can replace it.
    /// </summary>
    public static IServiceCollection AddPrismSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMetrics();
        // Discovery and JWKS trust PRISM_TLS_CA_FILE besides the system's roots.
        services.TryAddSingleton(_ => OutboundTls.From(configuration));
        services.AddHttpClient(JwksCache.HttpClientName, client => client.Timeout = HttpTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundTls>().CreateHandler());
        services.AddOptions<SecurityOptions>()
            .Configure(options => SecurityOptionsReader.Read(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>());

        services.TryAddSingleton<SecurityMetrics>();
        services.TryAddSingleton<RolePolicy>();
        services.TryAddSingleton<JwksCache>();
        services.TryAddSingleton<ValidatedTokenCache>();
        services.TryAddSingleton<TokenRevocations>();
        services.TryAddSingleton<RevocationPoller>();
        services.TryAddSingleton<TokenIntrospection>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RevocationHostedService>());
        services.TryAddSingleton<OidcTokenValidator>();
        services.TryAddSingleton<AuthDisabledTokenValidator>();
        // Chosen when first resolved, after the options (and their validation) say whether auth is off.
        services.TryAddSingleton<ITokenValidator>(sp => sp.GetRequiredService<IOptions<SecurityOptions>>().Value.AuthDisabled
            ? sp.GetRequiredService<AuthDisabledTokenValidator>()
            : sp.GetRequiredService<OidcTokenValidator>());

        services.TryAddSingleton<BearerAuthenticator>();
        return services;
    }

    /// <summary>Runs the one <see cref="RevocationPoller"/> of the container (registered once, however often security is added).</summary>
    private sealed class RevocationHostedService(RevocationPoller poller) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => poller.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => poller.StopAsync(cancellationToken);
    }
}
