namespace Prism.Client;

/// <summary>
/// Where and how to call the Prism data proxy. Bind it from configuration (section keys are the
/// property names, e.g. <c>Prism:Endpoint</c>) or set it in code; <see cref="PrismClientEnvironment"/>
/// fills unset values from <c>PRISM_*</c> environment variables.
/// </summary>
public sealed class PrismClientOptions
{
    /// <summary>The proxy's gRPC endpoint, e.g. <c>http://127.0.0.1:8980</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The namespace every call addresses (sent as <c>x-prism-namespace</c>).</summary>
    public string? Namespace { get; set; }

    /// <summary>A bearer token used as is (first token source when set).</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the bearer token (re-read when it changes, e.g. a projected service-account token).</summary>
    public string? TokenFile { get; set; }

    /// <summary>The OIDC issuer whose discovery document names the token endpoint (client credentials and local-dev login).</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Confidential client id for the client credentials grant.</summary>
    public string? ClientId { get; set; }

    /// <summary>Secret of <see cref="ClientId"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scope requested with client credentials (none when empty).</summary>
    public string? Scope { get; set; }

    /// <summary>Log in as the local developer identity with the password grant (never in production).</summary>
    public bool LocalDev { get; set; }

    /// <summary>Developer identity of <see cref="LocalDev"/>.</summary>
    public string LocalDevUser { get; set; } = "dev@local.prism";

    /// <summary>Password of <see cref="LocalDevUser"/>.</summary>
    public string LocalDevPassword { get; set; } = "devpass";

    /// <summary>Public client of the local-dev login (prismctl's).</summary>
    public string LocalDevClientId { get; set; } = "prismctl";

    /// <summary>Deadline of each unary call attempt (streams have none).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of a unary call answered UNAVAILABLE, the first included (1: no retry).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; doubled after each further one, up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most queue publishes or batches under way at once per <see cref="PrismQueueClient"/>. Publishes made while one is
    /// under way wait and go together in the next (a batch on its <c>PublishStream</c>); a further call starts only for a
    /// full batch (<see cref="PublishBatchSize"/>), so more than 1 serves callers that publish faster than one call carries.
    /// </summary>
    public int PublishCallsInFlight { get; set; } = 4;

    /// <summary>Most publishes sent in one <c>PublishBatch</c> (keep it at or under the proxy's PRISM_PROXY_MAX_BATCH_ITEMS).</summary>
    public int PublishBatchSize { get; set; } = 128;

    /// <summary>Largest message received (default 32 MiB).</summary>
    public int MaxReceiveMessageSize { get; set; } = 32 * 1024 * 1024;

    /// <summary>PEM CA bundle trusted besides the system's roots (a private or local CA).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate presented when the proxy or issuer asks for one (mTLS), with <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>
    /// Makes the HTTP handler of the gRPC channel and of token requests (proxies, custom trust); default one with
    /// the trust and client certificate of <see cref="CaFile"/>, <see cref="ClientCertificateFile"/> and <see cref="ClientKeyFile"/>.
    /// </summary>
    public Func<HttpMessageHandler>? CreateHttpHandler { get; set; }

    /// <summary>The handler factory in force: <see cref="CreateHttpHandler"/>, else one from the TLS files.</summary>
    /// <exception cref="PrismTlsException">A TLS file cannot be used.</exception>
    internal Func<HttpMessageHandler> HttpHandlerFactory()
    {
        if (CreateHttpHandler is { } custom)
        {
            return custom;
        }

        var tls = CaFile is null && ClientCertificateFile is null && ClientKeyFile is null
            ? PrismTls.SystemDefault
            : PrismTls.Load(CaFile, ClientCertificateFile, ClientKeyFile);
        return tls.CreateHandler;
    }

    /// <summary>A token source of your own; overrides every other token setting.</summary>
    public ITokenSource? TokenSource { get; set; }

    /// <summary>Throws naming the first setting that is missing or wrong.</summary>
    public void Validate()
    {
        if (Endpoint is null)
        {
            throw new InvalidOperationException($"Prism client: no endpoint (set Endpoint or {PrismClientEnvironment.Endpoint})");
        }

        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"Prism client: endpoint '{Endpoint}' is not an http:// or https:// URL");
        }

        if (MaxAttempts < 1)
        {
            throw new InvalidOperationException($"Prism client: MaxAttempts must be at least 1 (is {MaxAttempts})");
        }

        if (PublishCallsInFlight is < 1 or > 1_000)
        {
            throw new InvalidOperationException($"Prism client: PublishCallsInFlight must be between 1 and 1000 (is {PublishCallsInFlight})");
        }

        if (PublishBatchSize is < 1 or > 10_000)
        {
            throw new InvalidOperationException($"Prism client: PublishBatchSize must be between 1 and 10000 (is {PublishBatchSize})");
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Prism client: CallTimeout must be positive (is {CallTimeout})");
        }

        if (ClientId is not null != ClientSecret is not null)
        {
            throw new InvalidOperationException("Prism client: client credentials need both ClientId and ClientSecret");
        }

        if ((ClientId is not null || LocalDev) && Issuer is null && Token is null && TokenFile is null && TokenSource is null)
        {
            throw new InvalidOperationException($"Prism client: client credentials and the local-dev login need the Issuer (or {PrismClientEnvironment.Issuer})");
        }
    }
}
