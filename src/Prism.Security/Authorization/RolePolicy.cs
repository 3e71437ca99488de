using Microsoft.Extensions.Options;
using Prism.Security.Configuration;
using Prism.Security.Tokens;

namespace Prism.Security.Authorization;

/// <summary>
/// RFC-010 RBAC: token groups map to roles by configuration, roles grant permissions per
/// <see cref="Roles.PermissionsOf"/>. Service accounts (tokens without email) use their <c>groups</c> claim,
/// else the groups configured for their client, plus any known role named in a <c>roles</c> claim.
/// </summary>
public sealed class RolePolicy
{
    private readonly Dictionary<string, HashSet<string>> _rolesByGroup;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _clientGroups;

    /// <summary>Creates the policy from the RBAC options.</summary>
    public RolePolicy(IOptions<SecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (role, groups) in new[] { (Roles.Admin, o.AdminGroups), (Roles.Operator, o.OperatorGroups), (Roles.Viewer, o.ViewerGroups) })
        {
            foreach (var group in groups)
            {
                if (!map.TryGetValue(group, out var roles))
                {
                    map[group] = roles = new HashSet<string>(StringComparer.Ordinal);
                }

                roles.Add(role);
            }
        }

        _rolesByGroup = map;
        _clientGroups = o.ClientGroups;
    }

    /// <summary>Builds the principal of a validated token.</summary>
    public PrismPrincipal CreatePrincipal(TokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var serviceAccount = claims.Email is null;
        var groups = claims.Groups;
        if (serviceAccount && groups.Count == 0 && claims.ClientId is { } client && _clientGroups.TryGetValue(client, out var configured))
        {
            groups = configured;
        }

        var roles = new HashSet<string>(RolesOf(groups), StringComparer.Ordinal);
        if (serviceAccount)
        {
            roles.UnionWith(claims.Roles.Where(Roles.PermissionsOf.ContainsKey));
        }

        return new PrismPrincipal(claims.Subject ?? "", claims.Email, claims.ClientId, groups, roles, PermissionsOf(roles), claims.ExpiresAt)
        {
            Scopes = claims.Scopes,
        };
    }

    /// <summary>Roles the given groups map to.</summary>
    public IReadOnlySet<string> RolesOf(IEnumerable<string> groups) =>
        groups.SelectMany(g => _rolesByGroup.TryGetValue(g, out var roles) ? roles : Enumerable.Empty<string>()).ToHashSet(StringComparer.Ordinal);

    /// <summary>Permissions the given roles grant (RFC-010 table).</summary>
    public static IReadOnlySet<string> PermissionsOf(IEnumerable<string> roles) =>
        roles.SelectMany(r => Roles.PermissionsOf.TryGetValue(r, out var permissions) ? permissions : Enumerable.Empty<string>()).ToHashSet(StringComparer.Ordinal);
}
