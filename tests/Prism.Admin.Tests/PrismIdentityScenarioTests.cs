using System.Globalization;
using Duende.IdentityModel.Client;
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
            viewerToken: await PasswordToken(issuer, "test@local.prism"), "test@local.prism",
            adminToken: await PasswordToken(issuer, "dev@local.prism"), "dev@local.prism");
    }

    private static async Task<string> PasswordToken(string issuer, string user)
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
        return response.AccessToken!;
    }
}
