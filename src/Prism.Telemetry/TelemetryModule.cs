using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;

namespace Prism.Telemetry;

/// <summary>
/// The embedded telemetry viewer: an OTLP receiver (gRPC 4317, HTTP 4318) feeding a bounded
/// in-memory store, and a UI with JSON API on 3301. The local stand-in for SigNoz; production
/// sends OTLP to a real collector instead.
/// </summary>
public sealed class TelemetryModule : PrismModule
{
    /// <inheritdoc />
    public override string Name => "telemetry";

    /// <inheritdoc />
    public override Setting PortSetting => ViewerSettings.UiPort;

    /// <inheritdoc />
    public override IReadOnlyList<Setting> Settings => ViewerSettings.All;

    /// <inheritdoc />
    public override IReadOnlyList<Listener> ResolveListeners(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var ui = ResolveListener(configuration);
        return
        [
            ui with { Protocols = HttpProtocols.Http1 },
            new Listener(ui.Address, ViewerSettings.OtlpGrpcPort.Port(configuration), HttpProtocols.Http2),
            new Listener(ui.Address, ViewerSettings.OtlpHttpPort.Port(configuration), HttpProtocols.Http1),
        ];
    }

    /// <inheritdoc />
    public override void ConfigureServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPrismTelemetryViewer(builder.Configuration);
    }

    /// <inheritdoc />
    public override void MapEndpoints(WebApplication app) => app.MapPrismTelemetryViewer();

    /// <inheritdoc />
    public override IEnumerable<InsecureDefault> InsecureDefaults(IServiceProvider services) =>
    [
        new("telemetry", "module telemetry (unauthenticated viewer)",
            "production sends OTLP to a real collector and backend with authentication (SigNoz, Grafana) instead of running the embedded viewer"),
    ];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> ShellExports(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var grpc = new Listener(ResolveListener(configuration).Address, ViewerSettings.OtlpGrpcPort.Port(configuration));
        return new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = grpc.LocalUri.ToString().TrimEnd('/') };
    }

    /// <inheritdoc />
    public override HealthProbe Health(Uri baseAddress) => new(HealthProbeKind.Http, new Uri(baseAddress, "/healthz"));
}
