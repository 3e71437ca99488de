using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Prism.Hosting.Logging;
using Prism.Hosting.Modules;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Telemetry;

/// <summary>
/// The Prometheus listener of one process (<c>GET /metrics</c> on <c>PRISM_METRICS_PORT</c>, 9090):
/// one per process, reporting the meters of every module the process hosts plus ASP.NET Core,
/// HttpClient and runtime metrics, under the module's service name (<c>target_info</c> carries it and
/// <c>prism_modules</c>). Start it once, after or before the modules.
/// </summary>
public sealed partial class PrismMetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PrismMetricsServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base address the listener is bound to (scrape <c>Address/metrics</c>).</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts the listener for <paramref name="modules"/>. Returns null when the port is 0, or when
    /// another process already holds it (logged once as a warning: the modules run on without exposition).
    /// </summary>
    public static async Task<PrismMetricsServer?> StartAsync(
        IReadOnlyList<PrismModule> modules,
        IEnumerable<Setting> knownSettings,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "prism-metrics", EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddPrismSettings(knownSettings.Concat(CoreSettings.All).Concat(TelemetrySettings.All));
        builder.Configuration.AddOtelEnvironmentVariables();
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var port = ConfiguredPort(builder.Configuration);
        if (port == 0)
        {
            return null;
        }

        builder.Logging.AddPrismConsole(builder.Configuration);
        configureLogging?.Invoke(builder.Logging);
        var address = CoreSettings.ListenAddress(builder.Configuration);
        // The modules' certificate, when configured: production refuses plaintext off loopback, metrics included.
        var certificate = ListenerTls.Certificate(builder.Configuration);
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Parse(address is "localhost" ? "127.0.0.1" : address), port, o =>
            {
                if (certificate is not null)
                {
                    o.UseHttps(certificate);
                }
            });
        });
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(ServiceName(modules), serviceVersion: modules.Count > 0 ? PrismTelemetry.VersionOf(modules[0]) : null, autoGenerateServiceInstanceId: true)
                .AddAttributes([new("prism.modules", string.Join(',', modules.Select(m => m.Name)))]))
            .WithMetrics(metrics => metrics
                .AddMeter([.. modules.SelectMany(m => m.TelemetrySources).Distinct()])
                .AddMeter([.. PrismTelemetry.PlatformMeters])
                .AddPrometheusExporter());

        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Prism.Metrics");
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            LogPortInUse(logger, port, TelemetrySettings.MetricsPort.EnvironmentVariable, e.Message);
            await app.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new PrismMetricsServer(app, new Uri(bound));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The service the exposition names: the module's own (<c>prism-admin</c>) when the process hosts one, else <c>prism</c>.</summary>
    public static string ServiceName(IReadOnlyList<PrismModule> modules) =>
        modules is [var only] ? only.ServiceName : "prism";

    /// <summary>The configured metrics port (<c>PRISM_METRICS_PORT</c>); 0 means disabled.</summary>
    /// <exception cref="ConfigurationException">The value is not a port number.</exception>
    public static int ConfiguredPort(IConfiguration configuration) => TelemetrySettings.MetricsPort.Port(configuration);

    [LoggerMessage(EventId = 1, EventName = "MetricsPortInUse", Level = LogLevel.Warning,
        Message = "metrics port {Port} is in use; this process serves no Prometheus metrics (set {Variable} to a free port, or 0): {Reason}")]
    private static partial void LogPortInUse(ILogger logger, int port, string variable, string reason);
}
