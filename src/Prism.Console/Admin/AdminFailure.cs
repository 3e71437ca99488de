using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Prism.WebConsole.Admin;

/// <summary>A failed admin call as the console shows it: a headline, admin's own words and an HTTP status.</summary>
/// <param name="Headline">What went wrong, for a person.</param>
/// <param name="Detail">The status detail admin sent (or the transport error).</param>
/// <param name="HttpStatus">Status of the page that shows it.</param>
/// <param name="MissingPermission">For PERMISSION_DENIED, the permission the call required (for example <c>admin:write</c>).</param>
public sealed partial record AdminFailure(string Headline, string Detail, int HttpStatus, string? MissingPermission = null)
{
    /// <summary>Translates an admin status into what the page says.</summary>
    public static AdminFailure From(RpcException error, Uri adminAddress)
    {
        ArgumentNullException.ThrowIfNull(error);
        var detail = error.Status.Detail;
        return error.StatusCode switch
        {
            StatusCode.PermissionDenied when PermissionPattern().Match(detail) is { Success: true } match =>
                new($"Permission denied: {match.Groups["operation"].Value} requires {match.Groups["permission"].Value}, which your roles do not grant.",
                    detail, StatusCodes.Status403Forbidden, match.Groups["permission"].Value),
            StatusCode.PermissionDenied => new("Permission denied.", detail, StatusCodes.Status403Forbidden),
            StatusCode.InvalidArgument => new("The request was not valid.", detail, StatusCodes.Status400BadRequest),
            StatusCode.NotFound => new("Not found.", detail, StatusCodes.Status404NotFound),
            StatusCode.AlreadyExists => new("It already exists.", detail, StatusCodes.Status409Conflict),
            StatusCode.FailedPrecondition or StatusCode.Aborted => new("It changed meanwhile; reload and try again.", detail, StatusCodes.Status409Conflict),
            StatusCode.ResourceExhausted => new("Too many requests.", detail, StatusCodes.Status429TooManyRequests),
            StatusCode.Unavailable or StatusCode.DeadlineExceeded =>
                new($"The admin control plane at {adminAddress} did not answer.", detail, StatusCodes.Status503ServiceUnavailable),
            _ => new($"Admin answered {error.StatusCode}.", detail, StatusCodes.Status502BadGateway),
        };
    }

    // Admin's wording: "<actor> lacks permission <permission> required by <Operation> (roles: …)".
    [GeneratedRegex(@"lacks permission (?<permission>\S+) required by (?<operation>\w+)")]
    private static partial Regex PermissionPattern();
}
