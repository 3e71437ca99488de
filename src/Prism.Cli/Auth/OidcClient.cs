using Duende.IdentityModel.Client;

namespace Prism.Cli.Auth;

/// <summary>
/// The OAuth 2.0 / OpenID Connect calls prismctl makes, through Duende.IdentityModel: discovery,
/// password, refresh, client credentials, device authorization and revocation.
/// </summary>
public sealed class OidcClient(HttpClient http, string issuer, string clientId, TimeProvider time)
{
    /// <summary>Scopes of user logins: identity, groups for RBAC, and a refresh token.</summary>
    public const string UserScopes = "openid profile email groups offline_access";

    private DiscoveryDocumentResponse? _discovery;

    /// <summary>The issuer URL.</summary>
    public string Issuer { get; } = issuer;

    /// <summary>The public client id.</summary>
    public string ClientId { get; } = clientId;

    /// <summary>The issuer's discovery document (fetched once per run).</summary>
    public async Task<DiscoveryDocumentResponse> DiscoverAsync(CancellationToken cancellation)
    {
        if (_discovery is not null)
        {
            return _discovery;
        }

        var request = new DiscoveryDocumentRequest { Address = Issuer };
        request.Policy.RequireHttps = Issuer.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var response = await http.GetDiscoveryDocumentAsync(request, cancellation);
        if (response.IsError)
        {
            throw response.ErrorType == ResponseErrorType.Exception || response.Exception is not null
                ? new CliException(ExitCodes.Unavailable, $"unavailable: identity provider {Issuer} did not answer ({Reason(response.Exception)})", response.Exception)
                : new CliException(ExitCodes.Error, $"identity provider {Issuer} has no usable discovery document: {response.Error}");
        }

        return _discovery = response;
    }

    /// <summary>Resource owner password grant (local development).</summary>
    public async Task<CachedToken> PasswordAsync(string user, string password, CancellationToken cancellation)
    {
        var disco = await DiscoverAsync(cancellation);
        var response = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = ClientId,
            UserName = user,
            Password = password,
            Scope = UserScopes,
        }, cancellation);
        return ToCached(Check(response, $"login as {user}"));
    }

    /// <summary>Refresh token grant; null when the issuer refuses the refresh token (expired or revoked).</summary>
    public async Task<CachedToken?> RefreshAsync(string refreshToken, CancellationToken cancellation)
    {
        var disco = await DiscoverAsync(cancellation);
        var response = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = ClientId,
            RefreshToken = refreshToken,
        }, cancellation);
        if (response.IsError && response.ErrorType == ResponseErrorType.Protocol)
        {
            return null;
        }

        var token = ToCached(Check(response, "token refresh"));
        return token with { RefreshToken = token.RefreshToken ?? refreshToken };
    }

    /// <summary>Client credentials grant of a confidential client.</summary>
    public async Task<CachedToken> ClientCredentialsAsync(string id, string secret, CancellationToken cancellation)
    {
        var disco = await DiscoverAsync(cancellation);
        var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = id,
            ClientSecret = secret,
        }, cancellation);
        return ToCached(Check(response, $"client credentials login as {id}"));
    }

    /// <summary>Starts a device authorization (RFC 8628).</summary>
    public async Task<DeviceAuthorizationResponse> AuthorizeDeviceAsync(CancellationToken cancellation)
    {
        var disco = await DiscoverAsync(cancellation);
        if (string.IsNullOrEmpty(disco.DeviceAuthorizationEndpoint))
        {
            throw new CliException(ExitCodes.Unauthenticated, $"unauthenticated: identity provider {Issuer} offers no device authorization endpoint");
        }

        var response = await http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = disco.DeviceAuthorizationEndpoint,
            ClientId = ClientId,
            Scope = UserScopes,
        }, cancellation);
        if (response.IsError)
        {
            throw Failure(response.ErrorType, response.Exception, $"device authorization failed: {response.Error} {response.ErrorDescription}".TrimEnd());
        }

        return response;
    }

    /// <summary>One poll of the device token endpoint; the raw answer (pending, slow_down, ...) is the caller's to read.</summary>
    public async Task<TokenResponse> PollDeviceTokenAsync(string deviceCode, CancellationToken cancellation)
    {
        var disco = await DiscoverAsync(cancellation);
        var response = await http.RequestDeviceTokenAsync(new DeviceTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = ClientId,
            DeviceCode = deviceCode,
        }, cancellation);
        if (response.IsError && response.ErrorType != ResponseErrorType.Protocol)
        {
            throw Failure(response.ErrorType, response.Exception, $"device login failed: {response.Error}");
        }

        return response;
    }

    /// <summary>Revokes <paramref name="token"/> at the issuer; false when it offers no revocation endpoint.</summary>
    public async Task<bool> RevokeAsync(string token, string hint, CancellationToken cancellation)
    {
        var disco = await DiscoverAsync(cancellation);
        if (string.IsNullOrEmpty(disco.RevocationEndpoint))
        {
            return false;
        }

        var response = await http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = disco.RevocationEndpoint,
            ClientId = ClientId,
            Token = token,
            TokenTypeHint = hint,
        }, cancellation);
        if (response.IsError)
        {
            throw Failure(response.ErrorType, response.Exception, $"revocation failed: {response.Error}");
        }

        return true;
    }

    /// <summary>The cache entry for a successful token response.</summary>
    public CachedToken ToCached(TokenResponse response)
    {
        var now = time.GetUtcNow();
        var expires = response.ExpiresIn > 0
            ? now.AddSeconds(response.ExpiresIn)
            : TokenClaims.Read(response.AccessToken!).ExpiresAt ?? now.AddMinutes(5);
        return new CachedToken
        {
            AccessToken = response.AccessToken!,
            RefreshToken = response.RefreshToken,
            IdToken = response.IdentityToken,
            TokenType = response.TokenType ?? "Bearer",
            ExpiresAt = expires,
        };
    }

    private TokenResponse Check(TokenResponse response, string what)
    {
        if (!response.IsError && !string.IsNullOrEmpty(response.AccessToken))
        {
            return response;
        }

        var detail = response.ErrorDescription is { Length: > 0 } d ? $"{response.Error}: {d}" : response.Error;
        throw Failure(response.ErrorType, response.Exception, $"{what} failed at {Issuer}: {detail}");
    }

    private CliException Failure(ResponseErrorType type, Exception? exception, string message) =>
        type == ResponseErrorType.Exception || exception is not null
            ? new CliException(ExitCodes.Unavailable, $"unavailable: identity provider {Issuer} did not answer ({Reason(exception)})", exception)
            : new CliException(ExitCodes.Unauthenticated, "unauthenticated: " + message);

    private static string Reason(Exception? e) => e switch
    {
        null => "no answer",
        HttpRequestException { InnerException: { } inner } => inner.Message,
        TaskCanceledException => "timed out",
        _ => e.Message,
    };
}
