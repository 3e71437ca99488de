using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Prism.Security.Configuration;

namespace Prism.Security.Tokens;

/// <summary>
/// The issuer's signing keys from OIDC discovery and JWKS, cached for
/// <see cref="SecurityOptions.JwksRefreshInterval"/> and refreshed in the background; refetched at once for an
/// unknown key id, at most once per <see cref="SecurityOptions.JwksRefetchInterval"/>; kept while the issuer is
/// unreachable, so validation goes on offline.
/// </summary>
/// <remarks>
/// Built on <see cref="OpenIdConnectConfigurationRetriever"/> rather than <c>ConfigurationManager</c>: in
/// IdentityModel 8.x the manager refreshes in the background after <c>RequestRefresh</c> (the request that saw an
/// unknown kid would still fail unless a process-wide AppContext switch is set) and reads the wall clock, while
/// this cache refetches inline for that request and runs on the injected <see cref="TimeProvider"/>.
/// </remarks>
public sealed class JwksCache : IDisposable
{
    /// <summary>Name of the <see cref="HttpClient"/> used for discovery and JWKS.</summary>
    public const string HttpClientName = "Prism.Security.Oidc";

    // A start-up attempt that failed is not repeated for every incoming request.
    private static readonly TimeSpan UnreachableBackoff = TimeSpan.FromSeconds(2);

    private readonly SecurityOptions _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly SecurityMetrics _metrics;
    private readonly ILogger<JwksCache> _logger;
    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private volatile KeySet? _current;
    // UTC ticks, read outside the lock: longs through Interlocked cannot tear.
    private long _lastFailure = DateTimeOffset.MinValue.UtcTicks;
    private long _lastRefetch = DateTimeOffset.MinValue.UtcTicks;
    private long _nextBackgroundAttempt = DateTimeOffset.MinValue.UtcTicks;
    private int _backgroundRunning;

    /// <summary>Creates the cache; nothing is fetched until the first token arrives.</summary>
    public JwksCache(IOptions<SecurityOptions> options, IHttpClientFactory httpClients, TimeProvider time, SecurityMetrics metrics, ILogger<JwksCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _httpClients = httpClients;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Keys of one successful fetch.</summary>
    /// <param name="Keys">Asymmetric signing keys of the issuer.</param>
    /// <param name="FetchedAt">When they were fetched.</param>
    /// <param name="RevocationFeed">The discovery document's <c>prism_revocation_feed_endpoint</c> (Prism's own provider), else null.</param>
    /// <param name="IntrospectionEndpoint">The discovery document's <c>introspection_endpoint</c> (RFC 8414), else null.</param>
    public sealed record KeySet(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt, Uri? RevocationFeed = null, Uri? IntrospectionEndpoint = null);

    /// <summary>The cached keys (fetching them the first time); starts a background refresh when they are old.</summary>
    /// <exception cref="TokenRejectedException">The issuer was never reachable (<see cref="TokenRejections.IdentityProviderUnreachable"/>).</exception>
    public async ValueTask<KeySet> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current)
        {
            var now = _time.GetUtcNow();
            if (now - current.FetchedAt >= _options.JwksRefreshInterval && now.UtcTicks >= Interlocked.Read(ref _nextBackgroundAttempt))
            {
                StartBackgroundRefresh();
            }

            return current;
        }

        await _fetchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } fetched)
            {
                return fetched;
            }

            if (_time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastFailure) >= UnreachableBackoff.Ticks && await FetchAsync("startup").ConfigureAwait(false) is { } keys)
            {
                return keys;
            }

            throw TokenRejections.Reject(TokenRejections.IdentityProviderUnreachable);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    /// <summary>
    /// Refetches now because a token names a key id the cache does not hold, unless a refetch ran within
    /// <see cref="SecurityOptions.JwksRefetchInterval"/>. Returns the keys held afterwards.
    /// </summary>
    public async ValueTask<KeySet?> RefetchForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        if (IsRefetchRateLimited())
        {
            return _current;
        }

        await _fetchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A concurrent request may have refetched while this one waited.
            if (IsRefetchRateLimited())
            {
                return _current;
            }

            Interlocked.Exchange(ref _lastRefetch, _time.GetUtcNow().UtcTicks);
            return await FetchAsync("unknown kid").ConfigureAwait(false) ?? _current;
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _fetchLock.Dispose();

    private bool IsRefetchRateLimited()
    {
        if (_time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastRefetch) >= _options.JwksRefetchInterval.Ticks)
        {
            return false;
        }

        SecurityLog.RefetchRateLimited(_logger, _options.JwksRefetchInterval);
        return true;
    }

    private void StartBackgroundRefresh()
    {
        if (Interlocked.CompareExchange(ref _backgroundRunning, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await _fetchLock.WaitAsync().ConfigureAwait(false);
                try
                {
                    if (await FetchAsync("scheduled refresh").ConfigureAwait(false) is null)
                    {
                        Interlocked.Exchange(ref _nextBackgroundAttempt, (_time.GetUtcNow() + _options.JwksRefetchInterval).UtcTicks);
                    }
                }
                finally
                {
                    _fetchLock.Release();
                }
            }
            finally
            {
                Volatile.Write(ref _backgroundRunning, 0);
            }
        });
    }

    // Callers hold _fetchLock. Failures keep the cached keys (offline validation) and return null.
    private async Task<KeySet?> FetchAsync(string reason)
    {
        try
        {
            var retriever = new HttpDocumentRetriever(_httpClients.CreateClient(HttpClientName)) { RequireHttps = !_options.IssuerIsHttp };
            var configuration = await OpenIdConnectConfigurationRetriever
                .GetAsync(_options.DiscoveryAddress, retriever, CancellationToken.None).ConfigureAwait(false);
            var keys = configuration.SigningKeys.Where(IsAsymmetric).ToList();
            var feed = configuration.AdditionalData.TryGetValue(Revocation.RevocationPoller.DiscoveryName, out var value)
                && Uri.TryCreate(value?.ToString(), UriKind.Absolute, out var address) ? address : null;
            var introspection = Uri.TryCreate(configuration.IntrospectionEndpoint, UriKind.Absolute, out var endpoint) ? endpoint : null;
            var set = new KeySet(keys, _time.GetUtcNow(), feed, introspection);
            _current = set;
            _metrics.KeyFetch(reason, succeeded: true);
            SecurityLog.KeysRefreshed(_logger, _options.DiscoveryAddress, keys.Count, reason);
            return set;
        }
        catch (Exception e)
        {
            Interlocked.Exchange(ref _lastFailure, _time.GetUtcNow().UtcTicks);
            _metrics.KeyFetch(reason, succeeded: false);
            SecurityLog.IdentityProviderUnreachable(_logger, _options.DiscoveryAddress, reason,
                (e.InnerException ?? e).Message, _current?.Keys.Count ?? 0);
            return null;
        }
    }

    private static bool IsAsymmetric(SecurityKey key) => key switch
    {
        RsaSecurityKey or ECDsaSecurityKey or X509SecurityKey => true,
        JsonWebKey jwk => jwk.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve,
        _ => false,
    };
}
