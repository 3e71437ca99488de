using System.Net;
using System.Security.Cryptography;
using System.Text;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class AuthorizationCodeTests
{
    private const string Callback = "http://127.0.0.1:8090/auth/callback";

    [Fact]
    public async Task AuthorizationCodeWithPkce_CompletesThroughTheLoginPage()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var (verifier, challenge) = Pkce();

        var login = await server.Http.GetAsync(new Uri(AuthorizeUrl(server, "prismctl", Callback, challenge))).WaitAsync(IdentityServer.Timeout);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var page = await login.Content.ReadAsStringAsync();
        Assert.Equal("DENY", login.Headers.GetValues("X-Frame-Options").Single());

        var form = HtmlForms.Fields(page);
        form.Add(new("prism_email", "dev@local.prism"));
        form.Add(new("prism_password", "devpass"));
        var redirect = await server.PostFormAsync("/auth", form);

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(Callback, location.ToString(), StringComparison.Ordinal);
        var response = new AuthorizeResponse(location.ToString());
        Assert.Equal("state-123", response.State);

        var tokens = await server.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = server.TokenEndpoint,
            ClientId = "prismctl",
            Code = response.Code!,
            RedirectUri = Callback,
            CodeVerifier = verifier,
        }).WaitAsync(IdentityServer.Timeout);
        Assert.False(tokens.IsError, tokens.ErrorDescription);
        var id = await server.ValidateAsync(tokens.IdentityToken!);
        Assert.True(id.IsValid, id.Exception?.Message);
        Assert.Equal("dev@local.prism", ((JsonWebToken)id.SecurityToken).GetClaim("email").Value);
    }

    [Fact]
    public async Task ConfidentialClient_RedeemsItsCode_WithItsSecret()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var (verifier, challenge) = Pkce();
        const string redirectUri = "http://localhost:8090/auth/callback";
        var page = await server.Http.GetStringAsync(new Uri(AuthorizeUrl(server, "prism-admin-ui", redirectUri, challenge))).WaitAsync(IdentityServer.Timeout);
        var form = HtmlForms.Fields(page);
        form.AddRange([new("prism_email", "test@local.prism"), new("prism_password", "devpass")]);
        var code = new AuthorizeResponse((await server.PostFormAsync("/auth", form)).Headers.Location!.ToString()).Code!;

        var tokens = await server.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = server.TokenEndpoint,
            ClientId = "prism-admin-ui",
            ClientSecret = "prism-admin-ui-dev-secret",
            Code = code,
            RedirectUri = redirectUri,
            CodeVerifier = verifier,
        }).WaitAsync(IdentityServer.Timeout);

        Assert.False(tokens.IsError, tokens.ErrorDescription);
        Assert.True((await server.ValidateAsync(tokens.AccessToken!, audience: "prism-admin-ui")).IsValid);
    }

    [Fact]
    public async Task ConsoleOnAnotherPort_IsAcceptedAsCallback_OnlyWhenConsoleUrlNamesIt()
    {
        const string callback = "http://localhost:18191/signin-oidc";
        var (_, challenge) = Pkce();
        using var home = new TempDirectory();
        await using (var plain = await IdentityServer.StartAsync(home.Path))
        {
            var refused = await plain.Http.GetAsync(new Uri(AuthorizeUrl(plain, "prism-console", callback, challenge))).WaitAsync(IdentityServer.Timeout);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var secondHome = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(
            secondHome.Path, new Dictionary<string, string?> { [IdentitySettings.ConsoleUrl.Key] = "http://localhost:18191" });
        var login = await server.Http.GetAsync(new Uri(AuthorizeUrl(server, "prism-console", callback, challenge))).WaitAsync(IdentityServer.Timeout);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var form = HtmlForms.Fields(await login.Content.ReadAsStringAsync());
        form.AddRange([new("prism_email", "dev@local.prism"), new("prism_password", "devpass")]);
        var redirect = await server.PostFormAsync("/auth", form);
        Assert.StartsWith(callback, redirect.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleUrl_ThatIsNotAnHttpUrl_IsRefusedNamingTheSetting()
    {
        using var home = new TempDirectory();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdentityServer.StartAsync(
            home.Path, new Dictionary<string, string?> { [IdentitySettings.ConsoleUrl.Key] = "localhost:8091" }));
        Assert.Contains("PRISM_IDENTITY_CONSOLE_URL", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_WithWrongPassword_RedisplaysTheFormWithAnError()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var page = await server.Http.GetStringAsync(new Uri(AuthorizeUrl(server, "prismctl", Callback, Pkce().Challenge))).WaitAsync(IdentityServer.Timeout);
        var form = HtmlForms.Fields(page);
        form.AddRange([new("prism_email", "dev@local.prism"), new("prism_password", "nope")]);

        var response = await server.PostFormAsync("/auth", form);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("email or password is incorrect", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnregisteredRedirectUri_IsRejected_WithInvalidRequest()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var response = await server.Http.GetAsync(new Uri(AuthorizeUrl(server, "prismctl", "http://attacker.example/cb", Pkce().Challenge))).WaitAsync(IdentityServer.Timeout);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
        Assert.Contains("redirect_uri", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizationRequest_WithoutPkce_IsRejected()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var url = new RequestUrl(server.Issuer + "/auth").CreateAuthorizeUrl(
            clientId: "prismctl", responseType: "code", scope: "openid", redirectUri: Callback, state: "s");

        var response = await server.Http.GetAsync(new Uri(url)).WaitAsync(IdentityServer.Timeout);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
        Assert.Contains("code_challenge", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    public async Task PlainPkce_IsRejected_OnlyS256IsAccepted(string method)
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var verifier = CryptoRandom.CreateUniqueId(43);
        var url = new RequestUrl(server.Issuer + "/auth").CreateAuthorizeUrl(
            clientId: "prismctl", responseType: "code", scope: "openid", redirectUri: Callback, state: "s",
            codeChallenge: verifier, codeChallengeMethod: method.Length == 0 ? null : method);

        var response = await server.Http.GetAsync(new Uri(url)).WaitAsync(IdentityServer.Timeout);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("code_challenge_method", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalScreen_WhenNotSkipped_IssuesTheCodeOnlyAfterApproval()
    {
        using var home = new TempDirectory();
        var config = Path.Combine(home.Path, "dex.yaml");
        await File.WriteAllTextAsync(config, DexFiles.BuiltInWith("skipApprovalScreen: true", "skipApprovalScreen: false"));
        await using var server = await IdentityServer.StartAsync(home.Path, new Dictionary<string, string?> { ["identity:config"] = config });
        var page = await server.Http.GetStringAsync(new Uri(AuthorizeUrl(server, "prismctl", Callback, Pkce().Challenge))).WaitAsync(IdentityServer.Timeout);
        var form = HtmlForms.Fields(page);
        form.AddRange([new("prism_email", "dev@local.prism"), new("prism_password", "devpass")]);

        var approval = await server.PostFormAsync("/auth", form);
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        var approvalForm = HtmlForms.Fields(await approval.Content.ReadAsStringAsync());
        Assert.DoesNotContain(approvalForm, f => f.Key == "prism_password");

        approvalForm.Add(new("prism_action", "approve"));
        var redirect = await server.PostFormAsync("/auth", approvalForm);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.NotNull(new AuthorizeResponse(redirect.Headers.Location!.ToString()).Code);
    }

    [Fact]
    public async Task LoginPage_HtmlEncodesEchoedParameters()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var url = AuthorizeUrl(server, "prismctl", Callback, Pkce().Challenge).Replace("state-123", Uri.EscapeDataString("\"><script>x</script>"), StringComparison.Ordinal);

        var page = await server.Http.GetStringAsync(new Uri(url)).WaitAsync(IdentityServer.Timeout);

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Equal("\"><script>x</script>", HtmlForms.Field(page, "state"));
    }

    private static string AuthorizeUrl(IdentityServer server, string clientId, string redirectUri, string challenge) =>
        new RequestUrl(server.Issuer + "/auth").CreateAuthorizeUrl(
            clientId: clientId, responseType: OidcConstants.ResponseTypes.Code, scope: "openid profile email groups",
            redirectUri: redirectUri, state: "state-123", nonce: "nonce-1",
            codeChallenge: challenge, codeChallengeMethod: OidcConstants.CodeChallengeMethods.Sha256);

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = CryptoRandom.CreateUniqueId(32);
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return (verifier, challenge);
    }
}
