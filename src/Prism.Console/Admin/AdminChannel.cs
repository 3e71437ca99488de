using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Prism.Admin.V1;
using Prism.Hosting.Tls;

namespace Prism.WebConsole.Admin;

/// <summary>
/// The console's connection to the admin control plane. Every call carries the signed-in user's
/// access token and a fresh <c>request-id</c>, so admin applies RBAC and writes audit entries for
/// console users exactly as for prismctl users. The W3C <c>traceparent</c> travels through the
/// instrumented HttpClient under the gRPC channel. Over https the channel trusts PRISM_TLS_CA_FILE and
/// presents PRISM_TLS_CLIENT_CERT_FILE when admin asks for a client certificate.
/// </summary>
public sealed class AdminChannel(ConsoleOptions options, OutboundTls tls) : IDisposable
{
    /// <summary>Deadline of one call.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(options.AdminUrl, new GrpcChannelOptions { HttpHandler = tls.CreateHandler(), DisposeHttpClient = true });

    /// <summary>The admin address, for error messages.</summary>
    public Uri Address => options.AdminUrl;

    /// <summary>A client and call options acting as the user of <paramref name="context"/>.</summary>
    /// <exception cref="RpcException">UNAUTHENTICATED when the session holds no access token.</exception>
    public async Task<(AdminService.AdminServiceClient Client, CallOptions Options)> AsUserAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = await context.GetTokenAsync("access_token");
        if (string.IsNullOrEmpty(token))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the console session holds no access token"));
        }

        var headers = new Metadata
        {
            { "authorization", "Bearer " + token },
            { "request-id", Guid.NewGuid().ToString() },
        };
        return (new AdminService.AdminServiceClient(_channel), new CallOptions(headers, DateTime.UtcNow + CallTimeout, context.RequestAborted));
    }

    /// <summary>
    /// Makes a unary call as the user of <paramref name="context"/>. A refusal or failure comes back as an
    /// <see cref="AdminFailure"/> for the page to show; UNAUTHENTICATED is thrown, so the session ends.
    /// </summary>
    public async Task<AdminResult<T>> CallAsync<T>(
        HttpContext context, Func<AdminService.AdminServiceClient, CallOptions, AsyncUnaryCall<T>> call)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(call);
        var (client, callOptions) = await AsUserAsync(context);
        try
        {
            using var pending = call(client, callOptions);
            return new AdminResult<T>(await pending.ResponseAsync, null);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Unauthenticated)
        {
            return new AdminResult<T>(null, AdminFailure.From(e, Address));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}

/// <summary>The answer of an admin call: a value, or the failure the page shows.</summary>
/// <param name="Value">The response when the call succeeded.</param>
/// <param name="Failure">Why it did not.</param>
public sealed record AdminResult<T>(T? Value, AdminFailure? Failure)
    where T : class;
