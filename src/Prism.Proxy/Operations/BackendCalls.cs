using System.Diagnostics;
using Prism.Backends;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Operations;

/// <summary>Runs a driver call inside a span and turns backend failures into data-plane refusals.</summary>
internal static class BackendCalls
{
    /// <summary>
    /// Runs <paramref name="call"/> in a span named <paramref name="operation"/>; with a
    /// <paramref name="destination"/> (topic or queue) the span also carries the messaging tags.
    /// </summary>
    public static async Task<T> RunAsync<T>(string operation, DataPlaneRoute route, Func<Task<T>> call, string? destination = null)
    {
        // A client span per backend call: StackExchange.Redis has no OpenTelemetry instrumentation
        // of its own here, so this span is what shows a Redis call in a trace.
        var system = route.Backend.Type.Telemetry;
        using var activity = ProxyTelemetry.ActivitySource.StartActivity(operation, system is null ? ActivityKind.Internal : ActivityKind.Client);
        activity?.SetTag("prism.namespace", route.Namespace.Name);
        activity?.SetTag("prism.backend", route.Backend.Name);
        if (system is not null)
        {
            activity?.SetTag(system.Attribute, system.Name);
        }

        if (activity is not null && destination is not null)
        {
            MessageTelemetry.TagMessaging(activity, route, destination);
        }

        try
        {
            return await call();
        }
        catch (BackendUnavailableException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw Unavailable(route, e);
        }
        catch (BackendCapabilityException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new DataPlaneException(DataPlaneFailure.Unimplemented, e.Message, e);
        }
        catch (BackendFullException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new DataPlaneException(DataPlaneFailure.ResourceExhausted, e.Message, e);
        }
    }

    /// <summary>
    /// What a client is told when the route's backend is down: the instance, its type and the failure's code.
    /// The details (addresses, driver messages) went to the log once per outage.
    /// </summary>
    public static DataPlaneException Unavailable(DataPlaneRoute route, BackendUnavailableException e) =>
        new(DataPlaneFailure.Unavailable, $"backend '{route.Backend.Name}' ({route.Backend.Type.Name}) unavailable: {e.Code}", e);

    /// <summary>The route's driver of <paramref name="pattern"/>; a type without it is UNIMPLEMENTED.</summary>
    public static T Driver<T>(DataPlaneRoute route, string pattern) where T : class =>
        route.Drivers.Driver(pattern) as T ?? throw MissingCapability(route.Backend.Name, pattern);

    public static DataPlaneException MissingCapability(string backend, string capability) =>
        new(DataPlaneFailure.Unimplemented, $"backend '{backend}' does not support {capability}");
}
