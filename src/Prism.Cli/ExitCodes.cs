namespace Prism.Cli;

/// <summary>
/// Process exit codes of prismctl, one per kind of outcome so scripts can branch on them.
/// docs/prismctl.md lists them; keep the two in step.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Any failure without a more specific code (internal server error, rate limit, bad token cache, ...).</summary>
    public const int Error = 1;

    /// <summary>The command line is wrong (unknown command or option, bad value) or the server answered INVALID_ARGUMENT.</summary>
    public const int Usage = 2;

    /// <summary>No usable credentials, or the server answered UNAUTHENTICATED.</summary>
    public const int Unauthenticated = 3;

    /// <summary>The server answered PERMISSION_DENIED: the identity lacks the permission the call needs.</summary>
    public const int PermissionDenied = 4;

    /// <summary>The server answered NOT_FOUND.</summary>
    public const int NotFound = 5;

    /// <summary>The server answered ALREADY_EXISTS, FAILED_PRECONDITION (stale version) or ABORTED.</summary>
    public const int Conflict = 6;

    /// <summary>A server (admin, identity provider, proxy) is down, unreachable, timed out or answered UNAVAILABLE.</summary>
    public const int Unavailable = 7;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Interrupted = 130;
}
