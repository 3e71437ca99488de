using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Prism.Testing.Oidc;

/// <summary>RFC 7662 introspection, as Keycloak offers it: tests revoke minted tokens and count the calls.</summary>
public sealed partial class TestOidcIssuer
{
    /// <summary>Client allowed to introspect.</summary>
    public const string IntrospectionClientId = "prism-introspector";

    /// <summary>Its secret.</summary>
    public const string IntrospectionClientSecret = "introspector-secret";

    private const string IntrospectionPath = "/protocol/openid-connect/token/introspect";
    private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);
    private int _introspectionRequests;

    /// <summary>Introspection requests served so far.</summary>
    public int IntrospectionRequests => Volatile.Read(ref _introspectionRequests);

    /// <summary>Makes introspection answer <c>active: false</c> for <paramref name="token"/>.</summary>
    public void Revoke(string token) => _revoked[token] = 0;

    private async Task<IResult> IntrospectAsync(HttpContext context)
    {
        Interlocked.Increment(ref _introspectionRequests);
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes(IntrospectionClientId + ":" + IntrospectionClientSecret));
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header) || header.Parameter != expected)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_client" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var token = (await context.Request.ReadFormAsync()).TryGetValue("token", out var value) ? value.ToString() : "";
        var active = token.Length > 0 && !_revoked.ContainsKey(token) && ExpiryOf(token) > _time.GetUtcNow().ToUnixTimeSeconds();
        return Results.Content(new JsonObject { ["active"] = active }.ToJsonString(), "application/json");
    }

    private static long ExpiryOf(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return 0;
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(payload))?["exp"]?.GetValue<long>() ?? 0;
    }
}
