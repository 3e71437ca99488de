using Prism.Security.Authorization;

namespace Prism.Security;

/// <summary>The fixed caller used when authentication is disabled (local development only).</summary>
public static class LocalDeveloper
{
    /// <summary>E-mail of the local developer, as provisioned by the embedded identity provider.</summary>
    public const string Email = "dev@local.prism";

    /// <summary>dev@local.prism in every group and role, with every permission; never expires.</summary>
    public static PrismPrincipal Principal { get; } = new(
        Email,
        Email,
        null,
        ["prism:admin", "prism:operator", "prism:viewer"],
        new HashSet<string>(StringComparer.Ordinal) { Roles.Admin, Roles.Operator, Roles.Viewer },
        RolePolicy.PermissionsOf([Roles.Admin, Roles.Operator, Roles.Viewer]),
        DateTimeOffset.MaxValue);
}
