using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Prism.Hosting.Telemetry;

/// <summary>
/// Makes the standard <c>OTEL_*</c> environment variables visible to the OpenTelemetry SDK, which
/// reads them from the module's <see cref="IConfiguration"/> (a module's configuration holds only
/// Prism settings otherwise). Keys keep their names, so tests and hosts can set the same keys in memory.
/// </summary>
public static class OtelEnvironment
{
    /// <summary>Prefix of the variables copied.</summary>
    public const string Prefix = "OTEL_";

    /// <summary>The variable whose presence turns OTLP export on.</summary>
    public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Per-signal endpoints, which also turn OTLP export on.</summary>
    public static IReadOnlyList<string> SignalEndpoints { get; } =
        ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"];

    /// <summary>Adds every <c>OTEL_*</c> variable of <paramref name="environment"/> (default: the process) under its own name.</summary>
    public static IConfigurationBuilder AddOtelEnvironmentVariables(this IConfigurationBuilder builder, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        environment ??= Environment.GetEnvironmentVariables();
        var values = environment.Cast<DictionaryEntry>()
            .Where(e => e.Key is string key && key.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create((string)e.Key, e.Value as string));
        return builder.AddInMemoryCollection(values);
    }

    /// <summary>True when an OTLP endpoint is configured (all signals or any one of them).</summary>
    public static bool ExportConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return SignalEndpoints.Prepend(Endpoint).Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
    }
}
