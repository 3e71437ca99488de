using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Prism.ControlStore;
using Prism.Backends;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Security;

namespace Prism.Admin;

/// <summary>The admin control plane module: prism.admin.v1.AdminService over gRPC (port 8981).</summary>
public sealed class AdminModule : PrismModule
{
    /// <inheritdoc />
    public override string Name => "admin";

    /// <inheritdoc />
    public override Setting PortSetting => AdminSettings.Port;

    /// <inheritdoc />
    public override HttpProtocols Protocols => HttpProtocols.Http2;

    /// <inheritdoc />
    public override IReadOnlyList<Setting> Settings { get; } =
        [.. AdminSettings.All, .. SecuritySettings.All, .. StoreSettings.All, .. BackendSettings.All];

    /// <inheritdoc />
    public override IReadOnlyList<string> TelemetrySources => [AdminTelemetry.Name, SecurityTelemetry.Name];

    /// <inheritdoc />
    public override void ConfigureServices(WebApplicationBuilder builder) => builder.Services.AddPrismAdmin(builder.Configuration);

    /// <inheritdoc />
    public override void MapEndpoints(WebApplication app) => app.MapPrismAdmin();

    /// <inheritdoc />
    public override Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IControlStore>().MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public override IEnumerable<InsecureDefault> InsecureDefaults(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        foreach (var item in SecurityPosture.InsecureDefaults(configuration))
        {
            yield return item;
        }

        if (services.GetRequiredService<IOptions<AdminOptions>>().Value.UsesDevelopmentCursorKey)
        {
            yield return new InsecureDefault("admin", AdminSettings.CursorKey.EnvironmentVariable,
                "set PRISM_ADMIN_CURSOR_KEY to a random secret of at least 32 characters so page tokens cannot be forged");
        }
    }

    /// <inheritdoc />
    public override HealthProbe Health(Uri baseAddress) => new(HealthProbeKind.Grpc, baseAddress);
}
