using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Prism.Host.Tests;

/// <summary>The identity module as a developer runs it: prism dev up identity, as a separate process.</summary>
public class IdentityDevTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DevUpIdentity_AnswersDiscovery_AndPrintsTheIssuerExport()
    {
        using var prism = new PrismCli();

        var up = await prism.RunAsync("dev", "up", "identity");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains($"export PRISM_OIDC_ISSUER={prism.Issuer}", up.StandardOutput);
        Assert.Contains("export PRISM_LOCAL_DEV=true", up.StandardOutput);
        using var http = new HttpClient();
        var discovery = await http.GetDiscoveryDocumentAsync(Request(prism)).WaitAsync(Timeout);
        Assert.False(discovery.IsError, discovery.Error);
        Assert.Equal(prism.Issuer, discovery.Issuer);
    }

    [Fact]
    public async Task AccessToken_MintedBeforeDevDownAndUp_StillValidatesAgainstTheNewJwks()
    {
        using var prism = new PrismCli();
        Assert.Equal(0, (await prism.RunAsync("dev", "up", "identity")).ExitCode);
        using var http = new HttpClient();
        var token = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = $"{prism.Issuer}/token",
            ClientId = "prismctl",
            UserName = "dev@local.prism",
            Password = "devpass",
            Scope = "openid email profile groups offline_access",
        }).WaitAsync(Timeout);
        Assert.False(token.IsError, token.Error);

        Assert.Equal(0, (await prism.RunAsync("dev", "down", "identity")).ExitCode);
        var restart = await prism.RunAsync("dev", "up", "identity");
        Assert.True(restart.ExitCode == 0, restart.ToString());

        var discovery = await http.GetDiscoveryDocumentAsync(Request(prism)).WaitAsync(Timeout);
        Assert.False(discovery.IsError, discovery.Error);
        var keys = discovery.KeySet!.Keys.Select(k => new JsonWebKey(System.Text.Json.JsonSerializer.Serialize(k))).ToList();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = prism.Issuer,
            ValidAudience = "prismctl",
            IssuerSigningKeys = keys,
        }).WaitAsync(Timeout);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("dev@local.prism", result.Claims["email"]);
    }

    [Fact]
    public async Task DevUpIdentity_LogsTheInsecureDefaultLine_OncePerDefault()
    {
        using var prism = new PrismCli();

        Assert.Equal(0, (await prism.RunAsync("dev", "up", "identity")).ExitCode);

        var log = await File.ReadAllLinesAsync(Path.Combine(prism.Home, "logs", "identity.log"));
        var warnings = log.Where(l => l.Contains("level=WARN msg=\"insecure default active in dev mode\" env=dev dependency=identity prod_delta=\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(warnings);
        Assert.Equal(warnings.Count, warnings.Distinct().Count(l => true));
        Assert.Contains(warnings, w => w.Contains("static passwords", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ServeIdentity_InProduction_RefusesTheDevelopmentFixtures_NamingEach()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_ENV"] = "production";

        var result = await prism.RunAsync("serve", "--modules", "identity");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PRISM_ENV=production refuses a development fixture", result.StandardError);
        Assert.Contains("staticPasswords", result.StandardError);
        Assert.Contains("signing key", result.StandardError);
    }

    private static DiscoveryDocumentRequest Request(PrismCli prism) => new()
    {
        Address = prism.Issuer,
        Policy = { RequireHttps = false },
    };
}
