using Prism.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Admin.V1;
using Prism.Cli.Auth;

namespace Prism.Cli.Commands;

/// <summary>
/// Calls AdminService with <c>authorization</c>, a fresh <c>request-id</c> and the command's W3C
/// <c>traceparent</c>. A call answered UNAUTHENTICATED while using a cached token is retried once
/// after refreshing (or logging in again).
/// </summary>
public sealed class AdminConnection(Uri endpoint, Credentials credentials, PrismTls tls) : IDisposable
{
    /// <summary>Deadline of one unary call.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { HttpHandler = tls.CreateHandler(), DisposeHttpClient = true });

    /// <summary>The admin endpoint.</summary>
    public Uri Endpoint { get; } = endpoint;

    /// <summary>The request id of the last call (shown with <c>--verbose</c> on errors).</summary>
    public string? LastRequestId { get; private set; }

    /// <summary>Makes a unary call.</summary>
    public async Task<T> CallAsync<T>(Func<AdminService.AdminServiceClient, CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellation)
    {
        var client = new AdminService.AdminServiceClient(_channel);
        var token = await credentials.GetAccessTokenAsync(cancellation);
        try
        {
            using var first = call(client, Options(token, CallTimeout, cancellation));
            return await first.ResponseAsync;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && credentials.CanRenew)
        {
            token = await credentials.RenewAsync(cancellation);
            using var second = call(client, Options(token, CallTimeout, cancellation));
            return await second.ResponseAsync;
        }
    }

    /// <summary>Reads a server stream to its end (or cancellation), handing each item to <paramref name="onItem"/>.</summary>
    public async Task StreamAsync<T>(
        Func<AdminService.AdminServiceClient, CallOptions, AsyncServerStreamingCall<T>> call, Action<T> onItem, bool endless, CancellationToken cancellation)
    {
        var client = new AdminService.AdminServiceClient(_channel);
        var token = await credentials.GetAccessTokenAsync(cancellation);
        var deadline = endless ? (TimeSpan?)null : CallTimeout;
        var received = false;
        try
        {
            await ReadAsync(call(client, Options(token, deadline, cancellation)), onItem, () => received = true, cancellation);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && credentials.CanRenew && !received)
        {
            token = await credentials.RenewAsync(cancellation);
            await ReadAsync(call(client, Options(token, deadline, cancellation)), onItem, () => { }, cancellation);
        }
    }

    private static async Task ReadAsync<T>(AsyncServerStreamingCall<T> stream, Action<T> onItem, Action onFirst, CancellationToken cancellation)
    {
        using (stream)
        {
            while (await stream.ResponseStream.MoveNext(cancellation))
            {
                onFirst();
                onItem(stream.ResponseStream.Current);
            }
        }
    }

    private CallOptions Options(string token, TimeSpan? timeout, CancellationToken cancellation)
    {
        LastRequestId = Guid.NewGuid().ToString();
        var headers = new Metadata
        {
            { "authorization", "Bearer " + token },
            { "request-id", LastRequestId },
        };
        if (CliTelemetry.TraceParent(System.Diagnostics.Activity.Current) is { } traceParent)
        {
            headers.Add("traceparent", traceParent);
        }

        return new CallOptions(headers, timeout is { } t ? DateTime.UtcNow + t : null, cancellation);
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}
