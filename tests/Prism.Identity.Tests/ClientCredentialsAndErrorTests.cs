using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class ClientCredentialsAndErrorTests
{
    [Fact]
    public async Task ClientCredentials_IssuesATokenForTheClient_WithItsConfiguredGroups()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var tokens = await ClientCredentialsAsync(server, "prism-automation-dev-secret");

        Assert.False(tokens.IsError, tokens.ErrorDescription);
        var access = await server.ValidateAsync(tokens.AccessToken!, audience: "prism-automation");
        Assert.True(access.IsValid, access.Exception?.Message);
        var jwt = (JsonWebToken)access.SecurityToken;
        Assert.Equal("prism-automation", jwt.Subject);
        Assert.Equal(["prism:operator"], jwt.Claims.Where(c => c.Type == "groups").Select(c => c.Value));
        Assert.DoesNotContain(jwt.Claims, c => c.Type == "email");
    }

    [Fact]
    public async Task ClientGroups_Setting_ChangesTheGroupsOfClientTokens()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path,
            new Dictionary<string, string?> { ["identity:clientGroups"] = "prism-automation=prism:admin,prism:viewer" });

        var tokens = await ClientCredentialsAsync(server, "prism-automation-dev-secret");

        var jwt = new JsonWebToken(tokens.AccessToken);
        Assert.Equal(["prism:admin", "prism:viewer"], jwt.Claims.Where(c => c.Type == "groups").Select(c => c.Value));
    }

    [Fact]
    public async Task Introspection_ReportsAnActiveToken_AndRevocationEndsIt()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var tokens = await ClientCredentialsAsync(server, "prism-automation-dev-secret");

        var active = await IntrospectAsync(server, tokens.AccessToken!);
        Assert.False(active.IsError, active.Error);
        Assert.True(active.IsActive);
        Assert.Equal("prism-automation", active.Claims.Single(c => c.Type == "sub").Value);

        var revoked = await server.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = server.Issuer + "/token/revoke",
            ClientId = "prism-automation",
            ClientSecret = "prism-automation-dev-secret",
            Token = tokens.AccessToken!,
        }).WaitAsync(IdentityServer.Timeout);
        Assert.False(revoked.IsError, revoked.Error);
        Assert.False((await IntrospectAsync(server, tokens.AccessToken!)).IsActive);
    }

    [Fact]
    public async Task WrongPassword_IsRejected_WithInvalidGrantAndADescription()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var tokens = await server.PasswordTokenAsync(password: "wrong");

        Assert.Equal("invalid_grant", tokens.Error);
        Assert.Equal("The email or password is incorrect.", tokens.ErrorDescription);
    }

    [Fact]
    public async Task UnknownClient_IsRejected_WithInvalidClient()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var tokens = await server.Http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = server.TokenEndpoint,
            ClientId = "nobody",
            UserName = "dev@local.prism",
            Password = "devpass",
        }).WaitAsync(IdentityServer.Timeout);

        AssertInvalidClient(tokens);
    }

    [Fact]
    public async Task WrongClientSecret_IsRejected_WithInvalidClient()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var tokens = await ClientCredentialsAsync(server, "not-the-secret");

        AssertInvalidClient(tokens);
    }

    private static void AssertInvalidClient(TokenResponse tokens)
    {
        // RFC 6749 §5.2: invalid_client may come with 401; the JSON body still carries the OAuth error.
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, tokens.HttpStatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(tokens.Raw!);
        Assert.Equal("invalid_client", json.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error_description").GetString()));
    }

    private static Task<TokenResponse> ClientCredentialsAsync(IdentityServer server, string secret) =>
        server.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = server.TokenEndpoint,
            ClientId = "prism-automation",
            ClientSecret = secret,
        }).WaitAsync(IdentityServer.Timeout);

    private static Task<TokenIntrospectionResponse> IntrospectAsync(IdentityServer server, string token) =>
        server.Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = server.Issuer + "/token/introspect",
            ClientId = "prism-automation",
            ClientSecret = "prism-automation-dev-secret",
            Token = token,
        }).WaitAsync(IdentityServer.Timeout);
}
