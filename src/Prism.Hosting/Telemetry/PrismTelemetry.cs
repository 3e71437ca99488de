using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prism.Hosting.Modules;

namespace Prism.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for one module: traces, metrics and logs exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, with the SDK reading the standard <c>OTEL_*</c>
/// variables itself. Prometheus exposition is process-wide (<see cref="PrismMetricsServer"/>).
/// </summary>
public static class PrismTelemetry
{
    /// <summary>Meters every module reports besides its own: ASP.NET Core, Kestrel, HttpClient, the runtime and Npgsql.</summary>
    public static IReadOnlyList<string> PlatformMeters { get; } =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing",
        "System.Net.Http", "System.Runtime", "Npgsql",
    ];

    /// <summary>Wires OpenTelemetry for <paramref name="module"/>; without an OTLP endpoint it adds nothing.</summary>
    public static WebApplicationBuilder AddPrismTelemetry(this WebApplicationBuilder builder, PrismModule module)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(module);
        if (!OtelEnvironment.ExportConfigured(builder.Configuration))
        {
            return builder;
        }

        var sources = module.TelemetrySources.ToArray();
        var gate = new ModuleSpanGate(module.Name);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(module.ServiceName, serviceVersion: VersionOf(module), autoGenerateServiceInstanceId: true)
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing => tracing
                .AddSource(sources)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = context => TelemetryFilter.ShouldTrace(context.Request.Path);
                    o.RecordException = true;
                })
                .AddHttpClientInstrumentation()
                .AddGrpcClientInstrumentation()
                .AddNpgsql()
                .AddProcessor(new SensitiveData.SpanProcessor())
                .AddProcessor(gate))
            .WithMetrics(metrics => metrics
                .AddMeter(sources)
                .AddMeter([.. PlatformMeters]))
            .WithLogging(logging => logging.AddProcessor(new SensitiveData.LogProcessor()), options =>
            {
                options.IncludeFormattedMessage = true;
                options.ParseStateValues = true;
            });
        otel.UseOtlpExporter();

        // Metrics from another module's IMeterFactory (ASP.NET Core creates its meters per
        // service container) are dropped for the reason spans are gated: listeners are process-wide.
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
        {
            var own = services.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument =>
                instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own) ? MetricStreamConfiguration.Drop : null);
        });
        return builder;
    }

    /// <summary>Attributes the spans of requests served by <paramref name="module"/> to it (see <see cref="ModuleScope"/>).</summary>
    public static WebApplication UsePrismTelemetry(this WebApplication app, PrismModule module)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(module);
        if (!OtelEnvironment.ExportConfigured(app.Configuration))
        {
            return app; // no spans are exported, so none need an owner
        }

        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            ModuleScope.Claim(System.Diagnostics.Activity.Current, module.Name);
            using (ModuleScope.Enter(module.Name))
            {
                await next(context).ConfigureAwait(false);
            }
        });
        return app;
    }

    /// <summary>The module assembly's informational version without the source revision.</summary>
    public static string VersionOf(PrismModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var version = module.GetType().Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
