using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prism.ControlStore;
using Prism.Backends;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Proxy.Control;
using Prism.Security;

using Prism.Proxy.Grpc;

namespace Prism.Proxy;

/// <summary>The data proxy module: KeyValue and PubSub over namespaces, gRPC on port 8980.</summary>
public sealed class ProxyModule : PrismModule
{
    /// <inheritdoc />
    public override string Name => "proxy";

    /// <inheritdoc />
    public override Setting PortSetting => ProxySettings.Port;

    /// <inheritdoc />
    public override HttpProtocols Protocols => HttpProtocols.Http2;

    /// <inheritdoc />
    public override IReadOnlyList<Setting> Settings { get; } =
        [.. ProxySettings.All, .. SecuritySettings.All, .. StoreSettings.All, .. BackendSettings.All];

    /// <inheritdoc />
    public override IReadOnlyList<string> TelemetrySources => [ProxyTelemetry.Name, SecurityTelemetry.Name, "NATS.Net"];

    /// <inheritdoc />
    public override void ConfigureServices(WebApplicationBuilder builder) => builder.Services.AddPrismProxy(builder.Configuration);

    /// <inheritdoc />
    public override void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(WireValidation.InvokeAsync);
        app.MapPrismProxy();
    }

    /// <summary>Prepares the store schema and reads maintenance and drain state before the first call.</summary>
    public override async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IStoreSchema>().MigrateAsync(cancellationToken);
        await services.GetRequiredService<ControlStateMonitor>().PollAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override IEnumerable<InsecureDefault> InsecureDefaults(IServiceProvider services) =>
        SecurityPosture.InsecureDefaults(services.GetRequiredService<IConfiguration>());

    /// <inheritdoc />
    public override HealthProbe Health(Uri baseAddress) => new(HealthProbeKind.Grpc, baseAddress);
}
