using System.Diagnostics;
using Prism.Backends;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>Runs a driver call inside a span and turns backend failures into data-plane refusals.</summary>
internal static class BackendCalls
{
    public static async Task<T> RunAsync<T>(string operation, DataPlaneRoute route, Func<Task<T>> call)
    {
        // A client span per backend call: StackExchange.Redis has no OpenTelemetry instrumentation
        // of its own here, so this span is what shows a Redis call in a trace.
        var system = SystemOf(route.Backend);
        using var activity = ProxyTelemetry.ActivitySource.StartActivity(operation, system is null ? ActivityKind.Internal : ActivityKind.Client);
        activity?.SetTag("prism.namespace", route.Namespace.Name);
        activity?.SetTag("prism.backend", route.Backend);
        if (system is not null)
        {
            activity?.SetTag(system.Value.Attribute, system.Value.Name);
        }

        try
        {
            return await call();
        }
        catch (BackendUnavailableException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new DataPlaneException(DataPlaneFailure.Unavailable, e.Message, e);
        }
        catch (BackendCapabilityException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new DataPlaneException(DataPlaneFailure.Unimplemented, e.Message, e);
        }
    }

    /// <summary>The OpenTelemetry system attribute of a backend reached over the network or a file; null for memstore.</summary>
    public static (string Attribute, string Name)? SystemOf(string backend) => backend switch
    {
        "redis" => ("db.system.name", "redis"),
        "postgres" => ("db.system.name", "postgresql"),
        "sqlite" => ("db.system.name", "sqlite"),
        "nats" => ("messaging.system", "nats"),
        _ => null,
    };

    /// <summary>The driver of the route's backend; a backend this deployment does not define is UNAVAILABLE.</summary>
    public static T? Driver<T>(DataPlaneRoute route, Func<string, T?> find) where T : class
    {
        try
        {
            return find(route.Backend);
        }
        catch (ArgumentException e)
        {
            throw new DataPlaneException(DataPlaneFailure.Unavailable,
                $"backend '{route.Backend}' bound by namespace '{route.Namespace.Name}' is not configured on this proxy", e);
        }
    }

    public static DataPlaneException MissingCapability(string backend, string capability) =>
        new(DataPlaneFailure.Unimplemented, $"backend '{backend}' does not support {capability}");
}
