using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prism.Client;

namespace PrismService.Telemetry;

/// <summary>
/// Traces, metrics and logs over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is
/// set, as Prism's modules do: the OpenTelemetry SDK reads the standard OTEL_* variables itself. Metrics are
/// also served to Prometheus on the metrics port. Prism.Client's spans (ActivitySource "Prism.Client") carry
/// the trace to the proxy, so a request here and the proxy's work are one trace.
/// </summary>
public static class ServiceTelemetry
{
    /// <summary>service.name unless OTEL_SERVICE_NAME says otherwise.</summary>
    public const string ServiceName = "prismservice";

    private static readonly string[] Untraced = ["/healthz", "/readyz", "/metrics"];

    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = OtlpConfigured(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName,
                serviceVersion: typeof(ServiceTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(PrismClientTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !Untraced.Contains(context.Request.Path.Value, StringComparer.Ordinal))
                    // Grpc.Net.Client starts an activity of its own below Prism.Client's span and the proxy's span
                    // is that activity's child: exported, it keeps the trace whole (the HTTP span under it is dropped).
                    .AddGrpcClientInstrumentation(options => options.SuppressDownstreamInstrumentation = true)
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentationIfAvailable()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        if (otlp)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
            telemetry.WithLogging(logging => logging.AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>Prometheus <c>GET /metrics</c>, only on the metrics port.</summary>
    public static void MapMetricsEndpoint(this WebApplication app, ServicePorts ports)
    {
        if (ports.Metrics > 0)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{ports.Metrics}").AllowAnonymous();
        }
    }

    private static MeterProviderBuilder AddRuntimeInstrumentationIfAvailable(this MeterProviderBuilder metrics) =>
        // .NET's own runtime and Kestrel meters; no extra package.
        metrics.AddMeter("System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");

    private static bool OtlpConfigured(IConfiguration configuration) =>
        new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT" }
            .Any(name => !string.IsNullOrWhiteSpace(configuration[name]));
}
