using Grpc.Core;

namespace Prism.Cli.Commands;

/// <summary>
/// Turns any failure into one line on stderr (<c>prismctl: ...</c>) and an exit code;
/// with <c>--verbose</c> it adds the status code, request id and exception.
/// </summary>
public static class ErrorReporter
{
    /// <summary>Reports <paramref name="error"/> and returns the exit code.</summary>
    public static int Report(Exception error, TextWriter stderr, bool verbose, Uri? adminEndpoint, string? requestId)
    {
        var (code, line) = Describe(error, adminEndpoint);
        foreach (var each in error is CliException { Lines.Count: > 1 } several ? several.Lines : [line])
        {
            stderr.WriteLine("prismctl: " + OneLine(each));
        }

        if (verbose)
        {
            if (error is RpcException rpc)
            {
                stderr.WriteLine($"  status: {rpc.StatusCode}");
            }

            if (requestId is not null)
            {
                stderr.WriteLine($"  request id: {requestId}");
            }

            stderr.WriteLine($"  exit code: {code}");
            stderr.WriteLine(error.ToString());
        }

        return code;
    }

    /// <summary>The exit code and message of <paramref name="error"/>.</summary>
    public static (int Code, string Message) Describe(Exception error, Uri? adminEndpoint) => error switch
    {
        CliException e => (e.ExitCode, e.Message),
        RpcException e => Describe(e, adminEndpoint),
        OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
        HttpRequestException e => (ExitCodes.Unavailable, $"unavailable: {e.InnerException?.Message ?? e.Message}"),
        UnauthorizedAccessException or IOException => (ExitCodes.Error, error.Message),
        _ => (ExitCodes.Error, $"unexpected error ({error.GetType().Name}): {error.Message}; run again with --verbose for details"),
    };

    private static (int, string) Describe(RpcException e, Uri? adminEndpoint)
    {
        var detail = e.Status.Detail;
        return e.StatusCode switch
        {
            StatusCode.Unauthenticated => (ExitCodes.Unauthenticated, "unauthenticated: " + detail),
            StatusCode.PermissionDenied => (ExitCodes.PermissionDenied, "permission denied: " + detail),
            StatusCode.NotFound => (ExitCodes.NotFound, "not found: " + detail),
            StatusCode.AlreadyExists => (ExitCodes.Conflict, "already exists: " + detail),
            StatusCode.FailedPrecondition or StatusCode.Aborted => (ExitCodes.Conflict, "conflict: " + detail),
            StatusCode.InvalidArgument or StatusCode.OutOfRange => (ExitCodes.Usage, "invalid argument: " + detail),
            StatusCode.ResourceExhausted => (ExitCodes.Error, "rate limited: " + detail),
            StatusCode.Unavailable when e.Status.DebugException is { } cause =>
                (ExitCodes.Unavailable, $"unavailable: admin server {adminEndpoint} did not answer ({Innermost(cause).Message})"),
            StatusCode.Unavailable => (ExitCodes.Unavailable, "unavailable: " + detail),
            // grpc-dotnet reports a connection it could not set up (a TLS handshake the server refused, say) as INTERNAL.
            StatusCode.Internal when e.Status.DebugException is HttpRequestException cause =>
                (ExitCodes.Unavailable, $"unavailable: admin server {adminEndpoint} could not be reached ({Innermost(cause).Message})"),
            StatusCode.DeadlineExceeded => (ExitCodes.Unavailable, $"unavailable: admin server {adminEndpoint} did not answer in time"),
            StatusCode.Cancelled => (ExitCodes.Interrupted, "interrupted"),
            StatusCode.Unimplemented => (ExitCodes.Error, $"unimplemented: admin server {adminEndpoint} does not offer this call (is it older than prismctl?){(detail.Length > 0 ? ": " + detail : "")}"),
            _ => (ExitCodes.Error, $"{e.StatusCode}: {detail}"),
        };
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
