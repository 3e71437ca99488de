using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Identity.Configuration;

namespace Prism.Identity;

/// <summary>
/// The embedded OIDC identity provider module: OpenIddict with a Dex-compatible configuration file,
/// port 5556 and issuer http://localhost:5556/dex by default.
/// </summary>
public sealed class IdentityModule : PrismModule
{
    private const int DefaultPort = 5556;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <summary>Creates the module.</summary>
    public IdentityModule()
    {
    }

    /// <summary>Creates the module; <paramref name="configureServices"/> runs last, so tests and hosts can replace services (e.g. the <see cref="TimeProvider"/>).</summary>
    public IdentityModule(Action<IServiceCollection> configureServices) => _configureServices = configureServices;

    /// <inheritdoc />
    public override string Name => "identity";

    /// <inheritdoc />
    public override Setting PortSetting => IdentitySettings.Port;

    /// <inheritdoc />
    public override IReadOnlyList<Setting> Settings => IdentitySettings.All;

    /// <inheritdoc />
    public override Listener ResolveListener(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var address = CoreSettings.ListenAddress(configuration);
        if (IdentitySettings.Port.IsSet(configuration))
        {
            return new Listener(address, IdentitySettings.Port.Port(configuration));
        }

        try
        {
            return new Listener(address, IdentityConfigLoader.Load(configuration).HttpPort ?? DefaultPort);
        }
        catch (DexConfigException)
        {
            // Start-up reports the bad file with its line; listing ports (prism dev status) should not fail on it.
            return new Listener(address, DefaultPort);
        }
    }

    /// <inheritdoc />
    public override void ConfigureServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPrismIdentity(builder.Configuration);
        _configureServices?.Invoke(builder.Services);
    }

    /// <inheritdoc />
    public override void MapEndpoints(WebApplication app) => app.MapPrismIdentity();

    /// <inheritdoc />
    public override Uri PublicUrl(Uri baseAddress) => new(baseAddress, IdentityEndpoints.BasePath);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> ShellExports(IConfiguration configuration)
    {
        var issuer = IdentitySettings.Issuer.Text(configuration) is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : IdentityConfigLoader.Load(configuration).Issuer.ToString().TrimEnd('/');
        return new Dictionary<string, string> { ["PRISM_OIDC_ISSUER"] = issuer };
    }

    /// <inheritdoc />
    public override HealthProbe Health(Uri baseAddress) => new(HealthProbeKind.Http, new Uri(baseAddress, IdentityEndpoints.Health));

    /// <inheritdoc />
    public override IEnumerable<InsecureDefault> InsecureDefaults(IServiceProvider services)
    {
        var config = services.GetRequiredService<DexConfig>();
        var issuer = IdentityConfigLoader.Issuer(config, services.GetRequiredService<IOptions<IdentityOptions>>().Value);
        if (config.IsBuiltIn)
        {
            yield return new InsecureDefault("identity", IdentitySettings.ConfigFile.Display,
                "Production names its own Dex config file with its own clients and secrets instead of the built-in development file.");
        }

        if (config.EnablePasswordDb && config.Users.Count > 0)
        {
            yield return new InsecureDefault("identity", "staticPasswords / enablePasswordDB",
                "Production signs people in through a real identity provider (a Dex connector or corporate SSO), not static passwords.");
        }

        if (issuer.Scheme == Uri.UriSchemeHttp && !issuer.IsLoopback)
        {
            yield return new InsecureDefault("identity", IdentitySettings.Issuer.Display,
                "Production serves the issuer over https.");
        }

        yield return new InsecureDefault("identity", "signing key in $PRISM_HOME/data/identity/signing-keys",
            "Production signs tokens with a managed key (KMS, HSM or a mounted secret), not an unencrypted key file generated on disk.");
    }
}
