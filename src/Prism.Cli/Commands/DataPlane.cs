using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Prism.Cli.Auth;
using Prism.Cli.Config;
using Prism.Client;

namespace Prism.Cli.Commands;

/// <summary>
/// What the data commands (<c>kv</c>, <c>pubsub</c>, <c>queue publish|consume|ack</c>) share: the
/// proxy connection through Prism.Client with prismctl's login, the namespace, values from an
/// argument, a file or stdin, and errors worded for the proxy.
/// </summary>
internal static class DataPlane
{
    /// <summary>Environment variable of the default namespace.</summary>
    public const string NamespaceVariable = PrismClientEnvironment.Namespace;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><c>-n, --namespace</c> (else <c>PRISM_NAMESPACE</c>).</summary>
    public static Option<string?> NamespaceOption() => new("--namespace", "-n") { Description = $"Namespace (default: env {NamespaceVariable})" };

    /// <summary>The value argument: the bytes themselves (UTF-8), or <c>-</c> for stdin.</summary>
    public static Argument<string?> ValueArgument(string what) => new(what)
    {
        Description = $"The {what} as text, or - to read it from stdin (or use --file)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary><c>--file PATH</c>.</summary>
    public static Option<string?> FileOption(string what) => new("--file", "-f") { Description = $"Read the {what} from this file (any bytes)" };

    /// <summary>Runs <paramref name="action"/> with a connection to the proxy in the chosen namespace.</summary>
    public static async Task<int> RunAsync(CommandContext context, ParseResult parse, Option<string?> namespaceOption,
        Func<PrismConnection, string, Task<int>> action)
    {
        var ns = parse.GetValue(namespaceOption) is { Length: > 0 } given ? given
            : context.Environment(NamespaceVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : throw CliException.Usage($"no namespace: pass --namespace (-n) or set {NamespaceVariable}");
        var endpoint = context.Settings.ProxyEndpoint
            ?? throw CliException.Usage($"no proxy endpoint: pass --proxy-endpoint or set {CliEnvironment.ProxyEndpoint} (config proxy.endpoint)");
        var tokens = new CliTokenSource(context.Credentials);
        using var connection = new PrismConnection(new PrismClientOptions
        {
            Endpoint = endpoint,
            Namespace = ns,
            CreateHttpHandler = context.Tls.CreateHandler,
            TokenSource = tokens,
            CallTimeout = AdminConnection.CallTimeout,
        });
        try
        {
            return await action(connection, ns);
        }
        catch (RpcException e)
        {
            throw Translate(e, endpoint, ns);
        }
        catch (PrismClientException e)
        {
            throw new CliException(ExitCodes.Error, e.Message, e);
        }
    }

    /// <summary>The bytes of the value: the argument, stdin for <c>-</c>, or the file.</summary>
    public static async Task<byte[]> ReadValueAsync(string? argument, string? file, string what, CancellationToken cancellation)
    {
        if (argument is not null && file is not null)
        {
            throw CliException.Usage($"give the {what} as an argument or with --file, not both");
        }

        if (file is not null)
        {
            try
            {
                return await File.ReadAllBytesAsync(file, cancellation);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CliException.Usage($"--file {file} cannot be read: {e.Message}");
            }
        }

        if (argument == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            await stdin.CopyToAsync(buffer, cancellation);
            return buffer.ToArray();
        }

        return argument is not null
            ? Encoding.UTF8.GetBytes(argument)
            : throw CliException.Usage($"no {what}: give it as an argument, with --file PATH, or - to read stdin");
    }

    /// <summary>Writes bytes to stdout as they are.</summary>
    public static async Task WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        using var stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(bytes, cancellation);
        await stdout.FlushAsync(cancellation);
    }

    /// <summary>Adds <c>value</c> (UTF-8 text, else base64) and <c>encoding</c> (<c>utf8</c>/<c>base64</c>) to <paramref name="json"/>.</summary>
    public static JsonObject WithBytes(this JsonObject json, string name, ReadOnlySpan<byte> bytes)
    {
        if (Text(bytes) is { } text)
        {
            json[name] = text;
            json["encoding"] = "utf8";
        }
        else
        {
            json[name] = Convert.ToBase64String(bytes);
            json["encoding"] = "base64";
        }

        return json;
    }

    /// <summary>The bytes as text when they are valid UTF-8, else null.</summary>
    public static string? Text(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The bytes for one line of a table: text when UTF-8, else <c>base64:…</c>.</summary>
    public static string Line(ReadOnlySpan<byte> bytes) => Text(bytes) is { } text ? text.ReplaceLineEndings("\\n") : "base64:" + Convert.ToBase64String(bytes);

    private static CliException Translate(RpcException e, Uri endpoint, string ns)
    {
        var detail = e.Status.Detail;
        return e.StatusCode switch
        {
            StatusCode.NotFound => new CliException(ExitCodes.NotFound, $"not found: {(detail.Length > 0 ? detail : $"namespace {ns}")}", e),
            StatusCode.Unavailable when e.Status.DebugException is { } cause =>
                new CliException(ExitCodes.Unavailable, $"unavailable: proxy {endpoint} did not answer ({Innermost(cause).Message})", e),
            StatusCode.DeadlineExceeded => new CliException(ExitCodes.Unavailable, $"unavailable: proxy {endpoint} did not answer in time", e),
            StatusCode.Unimplemented => new CliException(ExitCodes.Error, $"unimplemented: {(detail.Length > 0 ? detail : $"proxy {endpoint} does not offer this call")}", e),
            _ => new CliException(ErrorReporter.Describe(e, endpoint).Code, ErrorReporter.Describe(e, endpoint).Message, e),
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

    /// <summary>prismctl's credential chain as a Prism.Client token source: a rejected cached token is renewed once.</summary>
    private sealed class CliTokenSource(Credentials credentials) : ITokenSource
    {
        private bool _renew;

        public async ValueTask<string> GetTokenAsync(CancellationToken cancellation)
        {
            if (_renew)
            {
                _renew = false;
                return await credentials.RenewAsync(cancellation);
            }

            return await credentials.GetAccessTokenAsync(cancellation);
        }

        public bool Invalidate() => _renew = credentials.CanRenew;
    }
}
