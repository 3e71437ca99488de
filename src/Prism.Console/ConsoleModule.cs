using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Security;

namespace Prism.WebConsole;

/// <summary>
/// The admin web console module: server-rendered pages with HTMX on port 8090, people signed in
/// through OIDC, every action an admin gRPC call made with the user's own access token.
/// </summary>
public sealed class ConsoleModule : PrismModule
{
    /// <inheritdoc />
    public override string Name => "console";

    /// <inheritdoc />
    public override Setting PortSetting => ConsoleSettings.Port;

    /// <inheritdoc />
    public override IReadOnlyList<Setting> Settings { get; } = [.. ConsoleSettings.All, SecuritySettings.Issuer];

    /// <inheritdoc />
    public override void ConfigureServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPrismConsole(builder.Configuration);
    }

    /// <inheritdoc />
    public override void MapEndpoints(WebApplication app) => app.MapPrismConsole();

    /// <inheritdoc />
    /// <remarks>People use the host name the identity provider knows the redirect URI by: localhost.</remarks>
    public override Uri PublicUrl(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return baseAddress.IsLoopback ? new UriBuilder(baseAddress) { Host = "localhost" }.Uri : baseAddress;
    }

    /// <inheritdoc />
    public override HealthProbe Health(Uri baseAddress) => new(HealthProbeKind.Http, new Uri(baseAddress, ConsoleEndpoints.HealthPath));

    /// <inheritdoc />
    public override IEnumerable<InsecureDefault> InsecureDefaults(IServiceProvider services)
    {
        var options = services.GetRequiredService<ConsoleOptions>();
        if (options.UsesDevelopmentSecret)
        {
            yield return new InsecureDefault(Name, ConsoleSettings.ClientSecret.EnvironmentVariable,
                "production registers the console with its identity provider under its own secret and sets PRISM_CONSOLE_OIDC_CLIENT_SECRET from a secret store");
        }

        if (!options.IsHttps)
        {
            yield return new InsecureDefault(Name, ConsoleSettings.PublicUrl.EnvironmentVariable,
                "production serves the console over https (an https PRISM_CONSOLE_PUBLIC_URL) so its session cookie is Secure");
        }

        if (options.Issuer.Scheme == Uri.UriSchemeHttp && !options.Issuer.IsLoopback)
        {
            yield return new InsecureDefault(Name, SecuritySettings.Issuer.EnvironmentVariable,
                "production signs people in through an https issuer, so discovery, keys and tokens cannot be tampered with on the network");
        }
    }
}
