using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Prism.Security.Authorization;
using Prism.Security.Configuration;
using Prism.Security.Revocation;

namespace Prism.Security.Tokens;

/// <summary>
/// Validates bearer JWTs from the configured OIDC issuer: size, shape, asymmetric algorithm, key (by kid,
/// refetched once for an unknown kid), signature, iss, aud, exp/nbf, sub and email_verified; then maps groups to
/// roles and permissions. Accepted tokens are remembered in <see cref="ValidatedTokenCache"/>.
/// </summary>
public sealed class OidcTokenValidator : ITokenValidator
{
    /// <summary>Accepted signing algorithms: asymmetric only.</summary>
    public static IReadOnlySet<string> AllowedAlgorithms { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SecurityOptions _options;
    private readonly JwksCache _keys;
    private readonly ValidatedTokenCache _cache;
    private readonly RolePolicy _roles;
    private readonly TokenRevocations _revocations;
    private readonly RevocationPoller _revocationPoller;
    private readonly TokenIntrospection _introspection;
    private readonly TimeProvider _time;
    private readonly SecurityMetrics _metrics;
    private readonly ILogger<OidcTokenValidator> _logger;
    private readonly string[] _issuers;

    /// <summary>Creates the validator.</summary>
    public OidcTokenValidator(
        IOptions<SecurityOptions> options, JwksCache keys, ValidatedTokenCache cache, RolePolicy roles,
        TokenRevocations revocations, RevocationPoller revocationPoller, TokenIntrospection introspection,
        TimeProvider time, SecurityMetrics metrics, ILogger<OidcTokenValidator> logger)
    {
        _introspection = introspection;
        _revocations = revocations;
        _revocationPoller = revocationPoller;
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _keys = keys;
        _cache = cache;
        _roles = roles;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        var issuer = _options.Issuer?.TrimEnd('/') ?? "";
        _issuers = [issuer, issuer + "/"];
    }

    /// <inheritdoc />
    public async ValueTask<PrismPrincipal> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(token))
            {
                throw TokenRejections.Reject(TokenRejections.Missing);
            }

            if (token.Length > _options.MaxTokenBytes || System.Text.Encoding.UTF8.GetByteCount(token) > _options.MaxTokenBytes)
            {
                throw TokenRejections.Reject(TokenRejections.TooLarge);
            }

            if (_cache.TryGet(token, out var cached))
            {
                // A cached token may have been revoked since: the revocation state is checked on every call.
                _revocations.Check(cached);
                await _introspection.CheckAsync(token, cancellationToken).ConfigureAwait(false);
                _metrics.Validation("cached");
                return cached;
            }

            using var activity = SecurityTelemetry.ActivitySource.StartActivity("ValidateToken");
            var principal = await ValidateUncachedAsync(token, cancellationToken).ConfigureAwait(false);
            await _revocationPoller.EnsureFirstPollAsync(cancellationToken).ConfigureAwait(false);
            _revocations.Check(principal);
            await _introspection.CheckAsync(token, cancellationToken).ConfigureAwait(false);
            _cache.Add(token, principal);
            _metrics.Validation("accepted");
            return principal;
        }
        catch (TokenRejectedException e)
        {
            SecurityLog.TokenRejected(_logger, e.Code);
            _metrics.Validation(e.Code);
            throw;
        }
    }

    private async Task<PrismPrincipal> ValidateUncachedAsync(string token, CancellationToken cancellationToken)
    {
        var jwt = Parse(token);
        CheckAlgorithm(jwt.Alg);
        CheckIsAccessToken(jwt);
        var key = await SelectKeyAsync(jwt, cancellationToken).ConfigureAwait(false);

        var result = await _handler.ValidateTokenAsync(jwt, Parameters(key)).ConfigureAwait(false);
        if (!result.IsValid)
        {
            throw TokenRejections.Reject(CodeOf(result.Exception), result.Exception);
        }

        CheckLifetime(jwt);
        var claims = TokenClaims.From(jwt);
        if (claims.Subject is null)
        {
            throw TokenRejections.Reject(TokenRejections.MissingSubject);
        }

        if (claims.Email is not null && claims.EmailVerified == false)
        {
            throw TokenRejections.Reject(TokenRejections.EmailNotVerified);
        }

        return _roles.CreatePrincipal(claims) with { Token = IdentifiersOf(jwt) };
    }

    // oi_tkn_id and oi_au_id are what Prism's identity provider (OpenIddict) revokes by; jti is the standard token id.
    private static TokenIdentifiers IdentifiersOf(JsonWebToken jwt) => new(
        jwt.TryGetPayloadValue<string>("oi_tkn_id", out var tokenId) ? tokenId : jwt.Id is { Length: > 0 } jti ? jti : null,
        jwt.TryGetPayloadValue<string>("oi_au_id", out var grant) ? grant : null,
        jwt.TryGetPayloadValue<object>("iat", out _) && jwt.IssuedAt != DateTime.MinValue ? new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero) : null);

    private static JsonWebToken Parse(string token)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception e)
        {
            // Whatever the parser trips on (base64url, JSON, structure), the caller hears one thing: malformed.
            throw TokenRejections.Reject(TokenRejections.Malformed, e);
        }

        return jwt.IsEncrypted ? throw TokenRejections.Reject(TokenRejections.Malformed) : jwt;
    }

    private static void CheckAlgorithm(string? alg)
    {
        if (string.IsNullOrEmpty(alg))
        {
            throw TokenRejections.Reject(TokenRejections.Malformed);
        }

        if (alg.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            throw TokenRejections.Reject(TokenRejections.AlgNone);
        }

        if (alg.StartsWith("HS", StringComparison.OrdinalIgnoreCase))
        {
            throw TokenRejections.Reject(TokenRejections.AlgHmac);
        }

        if (!AllowedAlgorithms.Contains(alg))
        {
            throw TokenRejections.Reject(TokenRejections.AlgNotAllowed);
        }
    }

    /// <summary>
    /// Only access tokens are bearer tokens. An RFC 9068 access token (<c>typ: at+jwt</c>, what Prism's
    /// identity provider issues) is one; otherwise a token carrying <c>at_hash</c> or <c>c_hash</c> is an ID
    /// token (OpenID Connect Core 3.1.3.6, 3.3.2.11), whatever its audience. Tokens with neither are
    /// accepted, as a foreign provider's access tokens (Dex) are plain JWTs.
    /// </summary>
    private static void CheckIsAccessToken(JsonWebToken jwt)
    {
        if (jwt.TryGetHeaderValue<string>("typ", out var typ) && (typ.Equals("at+jwt", StringComparison.OrdinalIgnoreCase)
            || typ.Equals("application/at+jwt", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        if (jwt.TryGetPayloadValue<object>("at_hash", out _) || jwt.TryGetPayloadValue<object>("c_hash", out _))
        {
            throw TokenRejections.Reject(TokenRejections.IdToken);
        }
    }

    private async Task<SecurityKey> SelectKeyAsync(JsonWebToken jwt, CancellationToken cancellationToken)
    {
        var keys = (await _keys.GetAsync(cancellationToken).ConfigureAwait(false)).Keys;
        var kid = jwt.Kid;
        if (string.IsNullOrEmpty(kid))
        {
            return keys.Count switch
            {
                1 => keys[0],
                0 => throw TokenRejections.Reject(TokenRejections.UnknownKid),
                _ => throw TokenRejections.Reject(TokenRejections.MissingKid),
            };
        }

        if (Find(keys, kid) is { } known)
        {
            return known;
        }

        var refetched = await _keys.RefetchForUnknownKeyAsync(cancellationToken).ConfigureAwait(false);
        return (refetched is null ? null : Find(refetched.Keys, kid)) ?? throw TokenRejections.Reject(TokenRejections.UnknownKid);
    }

    private static SecurityKey? Find(IReadOnlyList<SecurityKey> keys, string kid) =>
        keys.FirstOrDefault(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

    private TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuers = _issuers,
        ValidAudiences = _options.Audiences,
        ValidAlgorithms = AllowedAlgorithms,
        // Exactly the key chosen by kid; "trying all" lets the handler use it for a token without kid.
        IssuerSigningKey = key,
        TryAllIssuerSigningKeys = true,
        RequireSignedTokens = true,
        // exp and nbf are checked by CheckLifetime against the injected TimeProvider.
        RequireExpirationTime = false,
        ValidateLifetime = false,
    };

    private void CheckLifetime(JsonWebToken jwt)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (!jwt.TryGetPayloadValue<object>("exp", out _) || jwt.ValidTo == DateTime.MinValue)
        {
            throw TokenRejections.Reject(TokenRejections.MissingExpiry);
        }

        if (jwt.ValidTo + _options.ClockSkew <= now)
        {
            throw TokenRejections.Reject(TokenRejections.Expired);
        }

        if (jwt.ValidFrom != DateTime.MinValue && jwt.ValidFrom - _options.ClockSkew > now)
        {
            throw TokenRejections.Reject(TokenRejections.NotYetValid);
        }
    }

    private static string CodeOf(Exception? error) => error switch
    {
        SecurityTokenSignatureKeyNotFoundException => TokenRejections.UnknownKid,
        SecurityTokenInvalidSignatureException => TokenRejections.BadSignature,
        SecurityTokenInvalidIssuerException => TokenRejections.WrongIssuer,
        SecurityTokenInvalidAudienceException => TokenRejections.WrongAudience,
        SecurityTokenInvalidAlgorithmException => TokenRejections.AlgNotAllowed,
        SecurityTokenMalformedException => TokenRejections.Malformed,
        _ => TokenRejections.Invalid,
    };
}
