using Prism.Backends;
using Prism.Backends.Types;
using Prism.Backends.Instances;
using Prism.ControlStore;
using Prism.Proxy.Control;
using Prism.Proxy.Credentials;
using Prism.Proxy.Sessions;
using Prism.Security.Tokens;

namespace Prism.Proxy.Routing;

/// <summary>
/// Where a call goes: its namespace, session, the backend instance in the primary slot of the call's
/// pattern, and where its drivers are (the instance's own, or the session's under dynamic credentials).
/// </summary>
internal sealed record DataPlaneRoute(NamespaceRecord Namespace, ProxySession Session, BackendInstance Backend, IDriverSource Drivers);

/// <summary>
/// The checks every data-plane call passes, in order: token, maintenance, namespace metadata,
/// namespace, access groups, the namespace's request quota, session (terminated, drain), pattern offered by the namespace.
/// </summary>
internal sealed class DataPlaneRouter(
    BearerAuthenticator authenticator,
    ControlStateCache control,
    NamespaceDirectory namespaces,
    NamespaceRateLimiter rates,
    SessionRegistry sessions,
    BackendDrivers backends,
    LeaseKeeper leases)
{
    /// <summary>Authenticates, authorises and routes a call of <paramref name="pattern"/>.</summary>
    /// <exception cref="DataPlaneException">The call is refused.</exception>
    public async ValueTask<DataPlaneRoute> RouteAsync(DataPlaneCaller caller, string pattern, CancellationToken cancellation)
    {
        AuthenticatedCaller authenticated;
        try
        {
            authenticated = await authenticator.AuthenticateAsync(caller.Authorization, cancellation);
        }
        catch (TokenRejectedException e)
        {
            throw new DataPlaneException(DataPlaneFailure.Unauthenticated, e.Message, e);
        }

        var state = control.Current;
        if (state.Maintenance.Enabled)
        {
            throw new DataPlaneException(DataPlaneFailure.Unavailable, state.Maintenance.Message);
        }

        if (string.IsNullOrWhiteSpace(caller.Namespace))
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                $"missing namespace: send metadata '{DataPlaneCaller.NamespaceHeader}: <namespace>'");
        }

        var record = await namespaces.GetAsync(caller.Namespace, cancellation);
        var principal = authenticated.Principal;
        if (!principal.InAnyGroup(record.AccessGroups))
        {
            throw new DataPlaneException(DataPlaneFailure.PermissionDenied,
                $"{principal.Actor} is not in any group granted namespace '{record.Name}' ({string.Join(", ", record.AccessGroups)})") { Actor = principal.Actor };
        }

        rates.Acquire(record);
        var session = await sessions.GetOrOpenAsync(authenticated.TokenFingerprint, principal, record.Name, cancellation);
        if (record.Patterns.Count > 0 && !record.Patterns.Contains(pattern))
        {
            throw new DataPlaneException(DataPlaneFailure.Unimplemented,
                $"namespace '{record.Name}' does not offer {pattern} (it offers: {string.Join(", ", record.Patterns)})");
        }

        var name = record.Binding(pattern, Patterns.Find(pattern)!.Primary.Name) ?? BuiltInBackendTypes.UnboundSlotInstance;
        var backend = await ResolveAsync(record, name, cancellation);
        return new DataPlaneRoute(record, session, backend, await leases.ConnectAsync(session, backend, cancellation));
    }

    private async ValueTask<BackendInstance> ResolveAsync(NamespaceRecord record, string name, CancellationToken cancellation)
    {
        BackendInstance? backend;
        try
        {
            backend = await backends.ResolveAsync(name, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            throw new DataPlaneException(DataPlaneFailure.Unavailable, $"backend '{name}' bound by namespace '{record.Name}' cannot be read from the control store", e);
        }

        return backend ?? throw new DataPlaneException(DataPlaneFailure.Unavailable,
            $"backend '{name}' bound by namespace '{record.Name}' is not defined (not in this proxy's configuration nor in the control store)");
    }
}
