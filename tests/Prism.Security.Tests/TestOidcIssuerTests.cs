using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Prism.Security.Tests;

/// <summary>The test issuer behaves as an ordinary OIDC provider to a real HTTP client.</summary>
public sealed class TestOidcIssuerTests
{
    [Fact]
    public async Task ClientCredentialsToken_FromTheTokenEndpoint_IsAcceptedWithItsGroups()
    {
        await using var h = await SecurityHarness.StartAsync(new Dictionary<string, string?> { [SecuritySettings.Audiences.Key] = "ci-bot" });
        h.Issuer.RegisterClient("ci-bot", "s3cret", "prism:operator");
        using var http = new HttpClient();

        using var denied = await http.PostAsync(h.Issuer.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "ci-bot", ["client_secret"] = "wrong",
        })).WaitAsync(SecurityHarness.Timeout);
        using var granted = await http.PostAsync(h.Issuer.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "ci-bot", ["client_secret"] = "s3cret",
        })).WaitAsync(SecurityHarness.Timeout);
        var body = await granted.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(SecurityHarness.Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        var principal = await h.ValidateAsync(body.GetProperty("access_token").GetString()!);
        Assert.Equal("ci-bot", principal.Actor);
        Assert.Equal(["operator"], principal.Roles);
    }

    [Fact]
    public async Task Discovery_PointsAtTheRealmsJwks()
    {
        await using var h = await SecurityHarness.StartAsync();
        using var http = new HttpClient();
        var discovery = await http.GetFromJsonAsync<JsonElement>(h.Issuer.Issuer + "/.well-known/openid-configuration").WaitAsync(SecurityHarness.Timeout);

        Assert.Contains("/realms/test", h.Issuer.Issuer, StringComparison.Ordinal);
        Assert.Equal(h.Issuer.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(h.Issuer.Issuer + "/jwks", discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal(1, h.Issuer.DiscoveryRequests);
    }
}
