using System.Diagnostics;

namespace Prism.Client;

/// <summary>
/// The client's spans: one <see cref="ActivityKind.Client"/> span per call on the ActivitySource
/// <c>Prism.Client</c>, whose W3C context is sent as <c>traceparent</c> so the proxy's span is its child.
/// </summary>
public static class PrismClientTelemetry
{
    /// <summary>Name of the ActivitySource (add it to your tracer provider).</summary>
    public const string SourceName = "Prism.Client";

    /// <summary>The source of the client spans.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(PrismClientTelemetry).Assembly.GetName().Version?.ToString());

    internal static Activity? Start(string service, string method, Uri endpoint, string? @namespace)
    {
        var activity = Source.StartActivity($"{service}/{method}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", service);
            activity.SetTag("rpc.method", method);
            activity.SetTag("server.address", endpoint.Host);
            activity.SetTag("server.port", endpoint.Port);
            activity.SetTag("prism.namespace", @namespace);
        }

        return activity;
    }
}
