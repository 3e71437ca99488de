using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Client.Auth;

namespace Prism.Client;

/// <summary>
/// One gRPC channel to the proxy and everything each call needs: the bearer token, the
/// <c>x-prism-namespace</c> header, a deadline per attempt, retries with exponential backoff on
/// UNAVAILABLE (never on other codes), one renewal of a rejected token, and a client span whose
/// context travels in <c>traceparent</c>. Thread-safe; make one per process (AddPrismClient does).
/// </summary>
public sealed class PrismConnection : IDisposable
{
    private readonly PrismClientOptions _options;
    private readonly HttpClient? _tokenHttp;

    /// <summary>Opens a connection with <paramref name="options"/> (validated; unset values are not read from the environment here).</summary>
    public PrismConnection(PrismClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Endpoint = options.Endpoint!;
        Namespace = options.Namespace;
        var handlers = options.HttpHandlerFactory();
        Channel = GrpcChannel.ForAddress(Endpoint, new GrpcChannelOptions
        {
            HttpHandler = handlers(),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
        });
        (Tokens, _tokenHttp) = CreateTokenSource(options, handlers);
    }

    /// <summary>The proxy endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>The default namespace of calls (null: each client names its own).</summary>
    public string? Namespace { get; }

    /// <summary>The channel.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The options the connection was opened with.</summary>
    internal PrismClientOptions Options => _options;

    /// <summary>Where tokens come from.</summary>
    public ITokenSource? Tokens { get; }

    /// <summary>Makes a unary call with retries; <paramref name="call"/> starts one attempt.</summary>
    internal async Task<T> UnaryAsync<T>(string service, string method, string? @namespace, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellation)
    {
        var ns = RequireNamespace(@namespace);
        using var activity = PrismClientTelemetry.Start(service, method, Endpoint, ns);
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var pending = call(await OptionsAsync(ns, activity, _options.CallTimeout, cancellation));
                var response = await pending.ResponseAsync;
                activity?.SetTag("rpc.grpc.status_code", (int)StatusCode.OK);
                return response;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && !renewed && Tokens is not null && Tokens.Invalidate())
            {
                renewed = true;
                attempt--;
                activity?.AddEvent(new ActivityEvent("prism.token_renewed"));
            }
            catch (RpcException e) when (Retryable(e, cancellation) && attempt < _options.MaxAttempts)
            {
                var wait = Backoff(attempt);
                activity?.AddEvent(new ActivityEvent("prism.retry", tags: new ActivityTagsCollection
                {
                    ["prism.attempt"] = attempt,
                    ["prism.backoff_ms"] = (long)wait.TotalMilliseconds,
                }));
                await Task.Delay(wait, cancellation);
            }
            catch (RpcException e)
            {
                activity?.SetTag("rpc.grpc.status_code", (int)e.StatusCode);
                activity?.SetStatus(ActivityStatusCode.Error, e.StatusCode.ToString());
                throw;
            }
        }
    }

    /// <summary>
    /// UNAVAILABLE, or a stream the server side reset (CANCELLED that the caller did not ask for: a proxy killed
    /// behind a load balancer, which resets the streams it was serving) — never a call the caller cancelled.
    /// </summary>
    private static bool Retryable(RpcException e, CancellationToken cancellation) =>
        !cancellation.IsCancellationRequested &&
        (e.StatusCode == StatusCode.Unavailable || (e.StatusCode == StatusCode.Cancelled && ResetByServer(e.Status.DebugException)));

    private static bool ResetByServer(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is HttpProtocolException or IOException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Call options of a stream (no deadline) and its span, which the caller ends with the stream.</summary>
    internal async Task<(CallOptions Options, Activity? Span)> StreamAsync(string service, string method, string? @namespace, CancellationToken cancellation)
    {
        var ns = RequireNamespace(@namespace);
        var activity = PrismClientTelemetry.Start(service, method, Endpoint, ns);
        try
        {
            return (await OptionsAsync(ns, activity, null, cancellation), activity);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: exponential with ±20 % jitter, capped.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var exponential = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, _options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private string RequireNamespace(string? @namespace) =>
        (@namespace ?? Namespace) is { Length: > 0 } ns
            ? ns
            : throw new PrismClientException($"no namespace: set Namespace in the Prism client options (or {PrismClientEnvironment.Namespace})");

    private async Task<CallOptions> OptionsAsync(string @namespace, Activity? activity, TimeSpan? timeout, CancellationToken cancellation)
    {
        if (Tokens is null)
        {
            throw new PrismClientException("no token source: set Token, TokenFile, ClientId/ClientSecret with Issuer, or LocalDev with Issuer "
                + $"(or {PrismClientEnvironment.Token}, {PrismClientEnvironment.TokenFile}, {PrismClientEnvironment.ClientId}/{PrismClientEnvironment.ClientSecret}, {PrismClientEnvironment.LocalDev})");
        }

        var headers = new Metadata
        {
            { "authorization", "Bearer " + await Tokens.GetTokenAsync(cancellation) },
            { "x-prism-namespace", @namespace },
        };

        // Sent explicitly so the proxy's span is a child of this client span, whatever HTTP instrumentation does.
        var context = activity ?? Activity.Current;
        if (context is { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent })
        {
            headers.Add("traceparent", traceParent);
            if (!string.IsNullOrEmpty(context.TraceStateString))
            {
                headers.Add("tracestate", context.TraceStateString);
            }
        }

        return new CallOptions(headers, timeout is { } t ? DateTime.UtcNow + t : null, cancellation);
    }

    private static (ITokenSource?, HttpClient?) CreateTokenSource(PrismClientOptions options, Func<HttpMessageHandler> handlers)
    {
        if (options.TokenSource is not null)
        {
            return (options.TokenSource, null);
        }

        if (options.Token is { Length: > 0 } token)
        {
            return (new StaticTokenSource(token), null);
        }

        if (options.TokenFile is { Length: > 0 } file)
        {
            return (new TokenFileSource(file), null);
        }

        if (options.Issuer is null || (options.ClientId is null && !options.LocalDev))
        {
            return (null, null);
        }

        var http = new HttpClient(handlers(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
        ITokenSource source = options.ClientId is not null
            ? OidcTokenSource.ClientCredentials(http, options.Issuer, options.ClientId, options.ClientSecret!, options.Scope)
            : OidcTokenSource.LocalDev(http, options.Issuer, options.LocalDevClientId, options.LocalDevUser, options.LocalDevPassword);
        return (source, http);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Channel.Dispose();
        if (_tokenHttp is not null)
        {
            (Tokens as IDisposable)?.Dispose();
            _tokenHttp.Dispose();
        }
    }
}
