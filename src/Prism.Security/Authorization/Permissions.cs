namespace Prism.Security.Authorization;

/// <summary>Admin permissions (RFC-010).</summary>
public static class Permissions
{
    /// <summary>Read configuration, namespaces, sessions, backends, metrics.</summary>
    public const string Read = "admin:read";

    /// <summary>Create, update and delete namespaces and configs.</summary>
    public const string Write = "admin:write";

    /// <summary>Maintenance mode, drain, terminate sessions.</summary>
    public const string Operational = "admin:operational";

    /// <summary>Read the audit log.</summary>
    public const string Audit = "admin:audit";
}

/// <summary>Admin roles (RFC-010) and the permissions each grants.</summary>
public static class Roles
{
    /// <summary>Full administrative access.</summary>
    public const string Admin = "admin";

    /// <summary>Operational tasks, read-only configuration.</summary>
    public const string Operator = "operator";

    /// <summary>Read-only access.</summary>
    public const string Viewer = "viewer";

    /// <summary>RFC-010's role table.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> PermissionsOf { get; } = new Dictionary<string, IReadOnlySet<string>>
    {
        [Admin] = new HashSet<string> { Permissions.Read, Permissions.Write, Permissions.Operational, Permissions.Audit },
        [Operator] = new HashSet<string> { Permissions.Read, Permissions.Operational },
        [Viewer] = new HashSet<string> { Permissions.Read },
    };
}
