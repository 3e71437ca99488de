using Prism.ControlStore;
using Prism.Proxy.Control;
using Prism.Proxy.Sessions;
using Prism.Security.Tokens;

namespace Prism.Proxy.Routing;

/// <summary>Where a call goes: its namespace, session and the backend bound to the call's pattern.</summary>
public sealed record DataPlaneRoute(NamespaceRecord Namespace, ProxySession Session, string Backend);

/// <summary>
/// The checks every data-plane call passes, in order: token, maintenance, namespace metadata,
/// namespace, access groups, the namespace's request quota, session (terminated, drain), pattern offered by the namespace.
/// </summary>
public sealed class DataPlaneRouter(
    BearerAuthenticator authenticator,
    ControlStateCache control,
    NamespaceDirectory namespaces,
    NamespaceRateLimiter rates,
    SessionRegistry sessions)
{
    /// <summary>The backend name used when a namespace binds none for a pattern.</summary>
    public const string DefaultBackend = "memstore";

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
                $"{principal.Actor} is not in any group granted namespace '{record.Name}' ({string.Join(", ", record.AccessGroups)})");
        }

        rates.Acquire(record);
        var session = await sessions.GetOrOpenAsync(authenticated.TokenFingerprint, principal, record.Name, cancellation);
        if (record.Patterns.Count > 0 && !record.Patterns.Contains(pattern))
        {
            throw new DataPlaneException(DataPlaneFailure.Unimplemented,
                $"namespace '{record.Name}' does not offer {pattern} (it offers: {string.Join(", ", record.Patterns)})");
        }

        var backend = record.Backends.TryGetValue(pattern, out var bound) && bound.Length > 0 ? bound : DefaultBackend;
        return new DataPlaneRoute(record, session, backend);
    }
}
