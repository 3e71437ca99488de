using System.Net.Http.Json;
using System.Text.Json;

namespace Prism.Client.Auth;

/// <summary>
/// Tokens from an OIDC issuer's token endpoint (found through its discovery document): the client
/// credentials grant of a service, or the password grant of the local developer identity. A token
/// is reused until 30 seconds before it expires.
/// </summary>
public sealed class OidcTokenSource : ITokenSource, IDisposable
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly Uri _issuer;
    private readonly IReadOnlyDictionary<string, string> _grant;
    private readonly string _who;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private Uri? _tokenEndpoint;
    private string? _token;
    private DateTimeOffset _expiresAt;

    private OidcTokenSource(HttpClient http, Uri issuer, IReadOnlyDictionary<string, string> grant, string who, TimeProvider? time)
    {
        _http = http;
        _issuer = issuer;
        _grant = grant;
        _who = who;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The client credentials grant of <paramref name="clientId"/>.</summary>
    public static OidcTokenSource ClientCredentials(HttpClient http, Uri issuer, string clientId, string clientSecret, string? scope = null, TimeProvider? time = null)
    {
        var grant = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        };
        if (!string.IsNullOrEmpty(scope))
        {
            grant["scope"] = scope;
        }

        return new OidcTokenSource(http, issuer, grant, $"client credentials login as {clientId}", time);
    }

    /// <summary>The password grant of the local developer identity (prismctl's <c>PRISM_LOCAL_DEV</c> login).</summary>
    public static OidcTokenSource LocalDev(HttpClient http, Uri issuer, string clientId, string user, string password, TimeProvider? time = null) =>
        new(http, issuer, new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = clientId,
            ["username"] = user,
            ["password"] = password,
            ["scope"] = "openid profile email groups",
        }, $"local-dev login as {user}", time);

    /// <inheritdoc />
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellation)
    {
        await _lock.WaitAsync(cancellation);
        try
        {
            if (_token is null || _time.GetUtcNow() >= _expiresAt - ExpiryMargin)
            {
                await RequestAsync(cancellation);
            }

            return _token!;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public bool Invalidate()
    {
        _token = null;
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private async Task RequestAsync(CancellationToken cancellation)
    {
        _tokenEndpoint ??= await DiscoverAsync(cancellation);
        using var content = new FormUrlEncodedContent(_grant);
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(_tokenEndpoint, content, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new PrismClientException($"{_who} failed: identity provider {_issuer} did not answer ({e.Message})", e);
        }

        using (response)
        {
            using var body = await ReadJsonAsync(response, cancellation);
            var root = body.RootElement;
            if (!response.IsSuccessStatusCode || !root.TryGetProperty("access_token", out var token) || token.GetString() is not { Length: > 0 } accessToken)
            {
                var error = root.TryGetProperty("error", out var e) ? e.GetString() : $"HTTP {(int)response.StatusCode}";
                var description = root.TryGetProperty("error_description", out var d) ? ": " + d.GetString() : "";
                throw new PrismClientException($"{_who} failed at {_issuer}: {error}{description}");
            }

            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt64(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.FromMinutes(5);
            (_token, _expiresAt) = (accessToken, _time.GetUtcNow() + lifetime);
        }
    }

    private async Task<Uri> DiscoverAsync(CancellationToken cancellation)
    {
        var address = new Uri(_issuer.ToString().TrimEnd('/') + "/.well-known/openid-configuration");
        try
        {
            using var document = await _http.GetFromJsonAsync<JsonDocument>(address, cancellation)
                ?? throw new PrismClientException($"identity provider {_issuer} answered an empty discovery document");
            return document.RootElement.TryGetProperty("token_endpoint", out var endpoint) && Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out var uri)
                ? uri
                : throw new PrismClientException($"identity provider {_issuer} names no token_endpoint in its discovery document");
        }
        catch (HttpRequestException e)
        {
            throw new PrismClientException($"{_who} failed: identity provider {_issuer} did not answer ({e.Message})", e);
        }
        catch (JsonException e)
        {
            throw new PrismClientException($"identity provider {_issuer} answered a discovery document that is not JSON", e);
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellation), cancellationToken: cancellation);
        }
        catch (JsonException)
        {
            return JsonDocument.Parse("{}");
        }
    }
}
