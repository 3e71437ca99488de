using System.Net;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class DiscoveryAndPasswordGrantTests
{
    [Fact]
    public async Task Discovery_ListsDexPaths_AndEveryGrant()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var discovery = await server.DiscoverAsync();

        Assert.Equal(server.Issuer, discovery.Issuer);
        Assert.Equal(server.Issuer + "/token", discovery.TokenEndpoint);
        Assert.Equal(server.Issuer + "/auth", discovery.AuthorizeEndpoint);
        Assert.Equal(server.Issuer + "/keys", discovery.JwksUri);
        Assert.Equal(server.Issuer + "/device/code", discovery.DeviceAuthorizationEndpoint);
        Assert.Equal(server.Issuer + "/userinfo", discovery.UserInfoEndpoint);
        Assert.Equal(server.Issuer + "/token/revoke", discovery.RevocationEndpoint);
        Assert.Equal(server.Issuer + "/token/introspect", discovery.IntrospectionEndpoint);
        Assert.Contains("password", discovery.GrantTypesSupported);
        Assert.Contains("client_credentials", discovery.GrantTypesSupported);
        Assert.Contains("urn:ietf:params:oauth:grant-type:device_code", discovery.GrantTypesSupported);
        Assert.Contains("S256", discovery.CodeChallengeMethodsSupported);
    }

    [Fact]
    public async Task Health_Returns200_WhenTheStoreAnswers()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var response = await server.Http.GetAsync(new Uri(server.Issuer + "/healthz")).WaitAsync(IdentityServer.Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PasswordGrant_IssuesRs256Jwts_ThatValidateAgainstJwks()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var tokens = await server.PasswordTokenAsync();

        Assert.False(tokens.IsError, tokens.ErrorDescription);
        Assert.InRange(tokens.ExpiresIn, 3500, 3600);
        Assert.NotNull(tokens.RefreshToken);
        var access = await server.ValidateAsync(tokens.AccessToken!);
        Assert.True(access.IsValid, access.Exception?.Message);
        var jwt = (JsonWebToken)access.SecurityToken;
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("08a8684b-db88-4b73-90a9-3cd1661f5466", jwt.Subject);
        Assert.Equal("dev@local.prism", jwt.GetClaim("email").Value);
        Assert.Equal("true", jwt.GetClaim("email_verified").Value);
        Assert.Equal("developer", jwt.GetClaim("name").Value);
        Assert.Equal("prismctl", jwt.GetClaim("client_id").Value);
        Assert.Contains("groups", jwt.GetClaim("scope").Value);
        Assert.Equal(["prism:admin", "prism:operator", "prism:viewer"], jwt.Claims.Where(c => c.Type == "groups").Select(c => c.Value));

        var id = await server.ValidateAsync(tokens.IdentityToken!);
        Assert.True(id.IsValid, id.Exception?.Message);
        var idJwt = (JsonWebToken)id.SecurityToken;
        Assert.Equal(["prismctl"], idJwt.Audiences);
        Assert.Equal("dev@local.prism", idJwt.GetClaim("email").Value);
        Assert.Contains(idJwt.Claims, c => c.Type == "groups" && c.Value == "prism:admin");
    }

    [Fact]
    public async Task RefreshGrant_IssuesNewTokens_ForTheSameUser()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var first = await server.PasswordTokenAsync();

        var refreshed = await server.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = server.TokenEndpoint,
            ClientId = "prismctl",
            RefreshToken = first.RefreshToken!,
        }).WaitAsync(IdentityServer.Timeout);

        Assert.False(refreshed.IsError, refreshed.ErrorDescription);
        var access = await server.ValidateAsync(refreshed.AccessToken!);
        Assert.True(access.IsValid, access.Exception?.Message);
        Assert.Equal("08a8684b-db88-4b73-90a9-3cd1661f5466", ((JsonWebToken)access.SecurityToken).Subject);
    }

    [Fact]
    public async Task UserInfo_ReturnsProfileAndGroups()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var tokens = await server.PasswordTokenAsync(user: "test@local.prism");

        var info = await server.Http.GetUserInfoAsync(new UserInfoRequest
        {
            Address = server.Issuer + "/userinfo",
            Token = tokens.AccessToken,
        }).WaitAsync(IdentityServer.Timeout);

        Assert.False(info.IsError, info.Error);
        Assert.Equal("test@local.prism", info.Claims.Single(c => c.Type == "email").Value);
        Assert.Equal(["prism:viewer"], info.Claims.Where(c => c.Type == "groups").Select(c => c.Value));
    }
}
