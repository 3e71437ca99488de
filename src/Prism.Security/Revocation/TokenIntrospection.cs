using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prism.Security.Configuration;
using Prism.Security.Tokens;

namespace Prism.Security.Revocation;

/// <summary>
/// Revocation at a foreign provider (one without Prism's revocation feed): when
/// <see cref="SecurityOptions.IntrospectionClientId"/> is set and discovery names an <c>introspection_endpoint</c>,
/// each token is introspected (RFC 7662) and refused when the answer is <c>active: false</c>. An answer is reused
/// for <see cref="SecurityOptions.IntrospectionCache"/>; when the endpoint fails, the last answer for the token is
/// used up to <see cref="SecurityOptions.RevocationGrace"/>, then the token is refused. Answers are kept by the
/// SHA-256 of the token, at most <see cref="SecurityOptions.TokenCacheSize"/> of them.
/// </summary>
public sealed partial class TokenIntrospection(
    IOptions<SecurityOptions> options, JwksCache keys, TokenRevocations revocations, IHttpClientFactory httpClients, TimeProvider time,
    ILogger<TokenIntrospection> logger)
{
    private readonly ConcurrentDictionary<string, Answer> _answers = new(StringComparer.Ordinal);
    private int _failing;

    /// <summary>Refuses <paramref name="token"/> when the foreign provider says it is no longer active.</summary>
    /// <exception cref="TokenRejectedException"><see cref="TokenRejections.Revoked"/>, or <see cref="TokenRejections.RevocationUnknown"/> when the provider cannot answer.</exception>
    public async ValueTask CheckAsync(string token, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.IntrospectionClientId is null || revocations.FeedPublished != false)
        {
            return;
        }

        if ((await keys.GetAsync(cancellationToken).ConfigureAwait(false)).IntrospectionEndpoint is not { } endpoint)
        {
            return;
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = time.GetUtcNow();
        if (_answers.TryGetValue(key, out var known) && now - known.At < settings.IntrospectionCache)
        {
            Enforce(known.Active);
            return;
        }

        bool active;
        try
        {
            active = await IntrospectAsync(endpoint, token, cancellationToken).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _failing, 0) == 1)
            {
                LogRecovered(logger, endpoint.ToString());
            }
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                LogFailed(logger, endpoint.ToString(), e.GetType().Name, e.Message);
            }

            if (known is not null && now - known.At < settings.RevocationGrace)
            {
                Enforce(known.Active);
                return;
            }

            throw TokenRejections.Reject(TokenRejections.RevocationUnknown, e);
        }

        Remember(key, new Answer(active, now));
        Enforce(active);
    }

    private static void Enforce(bool active)
    {
        if (!active)
        {
            throw TokenRejections.Reject(TokenRejections.Revoked);
        }
    }

    private async Task<bool> IntrospectAsync(Uri endpoint, string token, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
        };
        // RFC 6749 2.3.1: id and secret form-urlencoded before Base64.
        var credentials = Uri.EscapeDataString(settings.IntrospectionClientId!) + ":" + Uri.EscapeDataString(settings.IntrospectionClientSecret ?? "");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await httpClients.CreateClient(JwksCache.HttpClientName).SendAsync(request, timeout.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.True;
    }

    private void Remember(string key, Answer answer)
    {
        var capacity = options.Value.TokenCacheSize;
        if (_answers.Count >= capacity && !_answers.ContainsKey(key))
        {
            foreach (var (oldest, _) in _answers.OrderBy(e => e.Value.At).Take(Math.Max(1, capacity / 10)).ToList())
            {
                _answers.TryRemove(oldest, out _);
            }
        }

        _answers[key] = answer;
    }

    private sealed record Answer(bool Active, DateTimeOffset At);

    [LoggerMessage(EventId = 214, EventName = "IntrospectionFailed", Level = LogLevel.Warning,
        Message = "introspection at {Endpoint} failed ({ErrorType}: {Error}); last answers are used up to the revocation grace, then tokens are refused")]
    private static partial void LogFailed(ILogger logger, string endpoint, string errorType, string error);

    [LoggerMessage(EventId = 215, EventName = "IntrospectionRecovered", Level = LogLevel.Information,
        Message = "introspection at {Endpoint} answers again")]
    private static partial void LogRecovered(ILogger logger, string endpoint);
}
