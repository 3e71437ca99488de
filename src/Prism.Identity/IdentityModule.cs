using Microsoft.AspNetCore.Builder;
using Prism.Hosting.Modules;
using Prism.Hosting.Settings;

namespace Prism.Identity;

/// <summary>The embedded OIDC identity provider module (port 5556, issuer http://localhost:5556/dex).</summary>
public sealed class IdentityModule : PrismModule
{
    /// <inheritdoc />
    public override string Name => "identity";

    /// <inheritdoc />
    public override Setting PortSetting => IdentitySettings.Port;

    /// <inheritdoc />
    public override IReadOnlyList<Setting> Settings => IdentitySettings.All;

    /// <inheritdoc />
    public override void ConfigureServices(WebApplicationBuilder builder) { }

    /// <inheritdoc />
    public override void MapEndpoints(WebApplication app) => app.MapGet("/dex/healthz", () => "ok");

    /// <inheritdoc />
    public override HealthProbe Health(Uri baseAddress) => new(HealthProbeKind.Http, new Uri(baseAddress, "/dex/healthz"));
}

/// <summary>Settings of the identity module.</summary>
public static class IdentitySettings
{
    /// <summary>Listening port.</summary>
    public static readonly Setting Port = new("PRISM_IDENTITY_PORT", "identity:port", "5556",
        "Port of the embedded identity provider. Default: 5556, or the port of 'web.http' in the Dex config file.");

    /// <summary>Every identity setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [Port];
}
