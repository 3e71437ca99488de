using System.Diagnostics;
using Prism.Backends;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>Runs a driver call inside a span and turns backend failures into data-plane refusals.</summary>
internal static class BackendCalls
{
    public static async Task<T> RunAsync<T>(string operation, DataPlaneRoute route, Func<Task<T>> call)
    {
        using var activity = ProxyTelemetry.ActivitySource.StartActivity(operation, ActivityKind.Internal);
        activity?.SetTag("prism.namespace", route.Namespace.Name);
        activity?.SetTag("prism.backend", route.Backend);
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
