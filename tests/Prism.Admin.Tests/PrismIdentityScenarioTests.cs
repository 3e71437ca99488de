using System.Globalization;
using Duende.IdentityModel.Client;
using Grpc.Core;
using Prism.Identity;
using Prism.Testing;

namespace Prism.Admin.Tests;

/// <summary>The scenario with tokens from Prism's own identity provider (the developer users).</summary>
public class PrismIdentityScenarioTests
{
    [Fact]
    public async Task DeveloperUsers_FromTheEmbeddedProvider_GetTheirRoles()
    {
        using var identityHome = new TempDirectory("prism-identity");
        var port = FreePort.Next();
        var issuer = $"http://127.0.0.1:{port}/dex";
        await using var identity = await ModuleApp.StartAsync(new IdentityModule(), new Dictionary<string, string?>
        {
            ["home"] = identityHome.Path,
            ["identity:port"] = port.ToString(CultureInfo.InvariantCulture),
            ["identity:issuer"] = issuer,
        });
        await using var admin = await AdminServer.StartAsync(new Dictionary<string, string?> { ["security:oidc_issuer"] = issuer });

        await AdminScenario.RunAsync(admin.Client,
            viewerToken: (await PasswordTokens(issuer, "test@local.prism")).AccessToken!, "test@local.prism",
            adminToken: (await PasswordTokens(issuer, "dev@local.prism")).AccessToken!, "dev@local.prism");

        // The ID token of the same response is not a bearer token.
        var idToken = (await PasswordTokens(issuer, "dev@local.prism")).IdentityToken;
        Assert.False(string.IsNullOrEmpty(idToken));
        var refused = await Assert.ThrowsAsync<RpcException>(() => admin.Client.ListNamespacesAsync(new V1.ListNamespacesRequest(), AdminServer.Options(idToken)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("this is an ID token: present the access token", refused.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<TokenResponse> PasswordTokens(string issuer, string user)
    {
        using var http = new HttpClient();
        var response = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = issuer + "/token",
            ClientId = "prismctl",
            UserName = user,
            Password = "devpass",
            Scope = "openid email profile groups",
        }).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(response.IsError, response.Error);
        return response;
    }
}
