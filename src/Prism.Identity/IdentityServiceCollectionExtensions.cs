using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Prism.Hosting.Settings;
using Prism.Identity.Accounts;
using Prism.Identity.Configuration;
using Prism.Identity.Endpoints;
using Prism.Identity.Keys;
using Prism.Identity.Pages;
using Prism.Identity.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Prism.Identity;

/// <summary>Registers the identity provider: Dex config, accounts, keys, store and the OpenIddict server.</summary>
public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the identity provider. Reads the Dex config now, so a bad file stops start-up with a
    /// <see cref="DexConfigException"/> naming the key and line.
    /// </summary>
    public static IServiceCollection AddPrismIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var dex = IdentityConfigLoader.Load(configuration);
        services.TryAddSingleton(dex);
        services.AddOptions<IdentityOptions>().Configure(o => o.ReadFrom(configuration)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new IdentityDatabase(dex, IdentityDatabase.DataDirectoryOf(sp.GetRequiredService<PrismHome>())));
        services.TryAddSingleton(sp => new SigningKeyStore(
            Path.Combine(IdentityDatabase.DataDirectoryOf(sp.GetRequiredService<PrismHome>()), "signing-keys"),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<SigningKeyStore>()));
        services.TryAddSingleton<StaticPasswordDirectory>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<AccountAuthenticator>();
        services.TryAddSingleton<TokenPrincipals>();
        services.TryAddSingleton<ApprovalTickets>();
        services.TryAddSingleton<TokenRequestThrottle>();
        services.TryAddSingleton<VerifiedClientSecrets>();
        services.TryAddSingleton<ApplicationSnapshots>();
        services.TryAddSingleton<IdentityWriteGate>();
        services.TryAddSingleton<IdentityDurability>();
        services.TryAddScoped<ClientRegistrar>();
        services.TryAddSingleton<IdentityStoreReadiness>();
        services.AddHostedService<IdentityStoreInitializer>();
        services.TryAddSingleton<IdentityStorePruner>();
        services.AddHostedService(sp => sp.GetRequiredService<IdentityStorePruner>());
        services.AddDbContext<IdentityStoreContext>((sp, options) =>
            options.UseSqlite(sp.GetRequiredService<IdentityDatabase>().ConnectionString).UseOpenIddict()
                .AddInterceptors(new IdentityConnectionPragmas(), new IdentityWriteTracker(), sp.GetRequiredService<IdentityWriteGate>()));

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityStoreContext>();
                core.ReplaceApplicationManager<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication, PrismApplicationManager>();
            })
            .AddServer(server =>
            {
                server.SetConfigurationEndpointUris(Relative(IdentityEndpoints.Discovery))
                    .SetJsonWebKeySetEndpointUris(Relative(IdentityEndpoints.Keys))
                    .SetTokenEndpointUris(Relative(IdentityEndpoints.Token))
                    .SetAuthorizationEndpointUris(Relative(IdentityEndpoints.Authorize))
                    .SetDeviceAuthorizationEndpointUris(Relative(IdentityEndpoints.DeviceCode))
                    .SetEndUserVerificationEndpointUris(Relative(IdentityEndpoints.Device))
                    .SetUserInfoEndpointUris(Relative(IdentityEndpoints.UserInfo))
                    .SetRevocationEndpointUris(Relative(IdentityEndpoints.Revoke))
                    .SetIntrospectionEndpointUris(Relative(IdentityEndpoints.Introspect));
                server.AllowPasswordFlow().AllowRefreshTokenFlow().AllowDeviceAuthorizationFlow()
                    .AllowAuthorizationCodeFlow().AllowClientCredentialsFlow()
                    .RequireProofKeyForCodeExchange();
                // S256 only: "plain" (also what a request without a method means) sends the verifier itself in the front channel.
                server.Configure(options =>
                {
                    options.CodeChallengeMethods.Clear();
                    options.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                });
                server.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile, Scopes.OfflineAccess, TokenPrincipals.Groups);
                server.RegisterClaims(Claims.Subject, Claims.Email, Claims.EmailVerified, Claims.Name, Claims.PreferredUsername, TokenPrincipals.Groups);
                server.DisableAccessTokenEncryption().DisableSlidingRefreshTokenExpiration();
                // A refresh token is a short random reference to the stored token, not a kilobyte-long encrypted
                // one: the console keeps it in its session cookie, and revoking it needs the stored entry anyway.
                server.UseReferenceRefreshTokens();
                server.SetAccessTokenLifetime(dex.Expiry.Tokens).SetIdentityTokenLifetime(dex.Expiry.Tokens)
                    .SetRefreshTokenLifetime(dex.Expiry.RefreshTokens)
                    .SetDeviceCodeLifetime(dex.Expiry.DeviceRequests).SetUserCodeLifetime(dex.Expiry.DeviceRequests);
                server.AddEventHandler<OpenIddictServerEvents.HandleConfigurationRequestContext>(handler => handler
                    .UseInlineHandler(context =>
                    {
                        context.Metadata[RevocationFeedEndpoint.DiscoveryName] = (context.Issuer ?? context.Options.Issuer) is { } issuer
                            ? issuer.AbsoluteUri.TrimEnd('/') + IdentityEndpoints.RevocationFeed[IdentityEndpoints.BasePath.Length..]
                            : null;
                        return default;
                    })
                    .SetOrder(int.MaxValue - 200_000));
                // RFC 8628 3.2: tell devices how often they may poll; TokenRequestThrottle answers slow_down when they poll faster.
                server.AddEventHandler<OpenIddictServerEvents.ApplyDeviceAuthorizationResponseContext>(handler => handler
                    .UseInlineHandler(context =>
                    {
                        if (string.IsNullOrEmpty(context.Response.Error))
                        {
                            context.Response[Parameters.Interval] = TokenRequestThrottle.DevicePollSeconds;
                        }

                        return default;
                    })
                    .SetOrder(int.MinValue + 100_000));
                server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<IdentityOptions>, SigningKeyStore, PrismHome>((server, identity, keys, home) =>
            {
                server.Issuer = IdentityConfigLoader.Issuer(dex, identity.Value);
                foreach (var key in keys.LoadPublished(identity.Value.SigningKeyRotation))
                {
                    server.SigningCredentials.Add(new Microsoft.IdentityModel.Tokens.SigningCredentials(key.Key, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256));
                }

                var encryption = TokenEncryptionKey.LoadOrCreate(Path.Combine(IdentityDatabase.DataDirectoryOf(home), "token-encryption.key"));
                server.EncryptionCredentials.Add(new Microsoft.IdentityModel.Tokens.EncryptingCredentials(
                    encryption, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.Aes256KW, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.Aes256CbcHmacSha512));
            });
        services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>, NewestSigningKeyFirst>();
        return services;
    }

    private static Uri Relative(string path) => new(path.TrimStart('/'), UriKind.Relative);

    /// <summary>Runs after OpenIddict's own ordering of credentials so the newest key always signs.</summary>
    private sealed class NewestSigningKeyFirst(SigningKeyStore keys) : IPostConfigureOptions<OpenIddictServerOptions>
    {
        public void PostConfigure(string? name, OpenIddictServerOptions options)
        {
            var index = options.SigningCredentials.FindIndex(c => c.Key.KeyId == keys.CurrentKeyId);
            if (index > 0)
            {
                var current = options.SigningCredentials[index];
                options.SigningCredentials.RemoveAt(index);
                options.SigningCredentials.Insert(0, current);
            }
        }
    }
}
