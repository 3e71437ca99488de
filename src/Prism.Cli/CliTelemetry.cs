using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Prism.Cli;

/// <summary>
/// prismctl's telemetry: one <see cref="ActivitySource"/> with an activity per command, whose W3C
/// context travels to the admin server in <c>traceparent</c>. With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// set, the command spans are also exported (service <c>prism-cli</c>), so one trace shows prismctl
/// and the servers it called.
/// </summary>
public static class CliTelemetry
{
    /// <summary>Name of the ActivitySource (and of the future Meter).</summary>
    public const string SourceName = "Prism.Cli";

    /// <summary>The source of command activities.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(CliTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Makes command activities exist even without an exporter, so each command has a trace id to
    /// propagate. Dispose the result at exit.
    /// </summary>
    public static IDisposable Listen()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            // The OTLP exporter reads the standard OTEL_* variables itself; disposing flushes the spans.
            return Sdk.CreateTracerProviderBuilder()
                .ConfigureResource(resource => resource.AddService("prism-cli", serviceVersion: typeof(CliTelemetry).Assembly.GetName().Version?.ToString(3)))
                .AddSource(SourceName, Prism.Client.PrismClientTelemetry.SourceName)
                .AddOtlpExporter()
                .Build();
        }

        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is SourceName or Prism.Client.PrismClientTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>The W3C <c>traceparent</c> of <paramref name="activity"/>, or null without one.</summary>
    public static string? TraceParent(Activity? activity) =>
        activity is null || activity.IdFormat != ActivityIdFormat.W3C ? null : activity.Id;
}
