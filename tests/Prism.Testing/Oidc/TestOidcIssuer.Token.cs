using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Prism.Testing.Oidc;

/// <summary>The token endpoint of the test issuer: client_credentials for registered clients.</summary>
public sealed partial class TestOidcIssuer
{
    private const string TokenPath = "/protocol/openid-connect/token";
    private readonly ConcurrentDictionary<string, (string Secret, string[] Groups)> _clients = new(StringComparer.Ordinal);

    /// <summary>The token endpoint URL (client_credentials grant).</summary>
    public string TokenEndpoint => Issuer + TokenPath;

    /// <summary>Registers a confidential client whose client_credentials tokens carry <paramref name="groups"/> (none when empty).</summary>
    public void RegisterClient(string clientId, string secret, params string[] groups) => _clients[clientId] = (secret, groups);

    private async Task<IResult> IssueTokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var (clientId, secret) = ClientCredentials(request, form);
        if (form["grant_type"] != "client_credentials")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        if (clientId is null || !_clients.TryGetValue(clientId, out var client) || client.Secret != secret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        var lifetime = TimeSpan.FromHours(1);
        var token = MintServiceToken(clientId, client.Groups.Length == 0 ? null : client.Groups, lifetime: lifetime);
        return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = (int)lifetime.TotalSeconds });
    }

    private static (string? ClientId, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header.Scheme == "Basic" && header.Parameter is { } encoded)
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form["client_id"].FirstOrDefault(), form["client_secret"].FirstOrDefault());
    }
}
