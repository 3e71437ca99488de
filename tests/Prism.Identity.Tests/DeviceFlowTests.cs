using System.Net;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class DeviceFlowTests
{
    [Fact]
    public async Task DeviceFlow_CompletesThroughTheVerificationPage_AndTheCodeCannotBeReused()
    {
        using var home = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await IdentityServer.StartAsync(home.Path, services: s => s.AddSingleton<TimeProvider>(time));
        var authorization = await StartAsync(server);
        Assert.Equal(server.Issuer + "/device", authorization.VerificationUri);

        var pending = await RedeemAsync(server, authorization.DeviceCode!);
        Assert.Equal("authorization_pending", pending.Error);

        var page = await server.Http.GetStringAsync(new Uri(authorization.VerificationUri!)).WaitAsync(IdentityServer.Timeout);
        Assert.Contains("name=\"user_code\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"prism_password\"", page, StringComparison.Ordinal);

        var approved = await server.PostFormAsync("/device", Form(authorization.UserCode!, "devpass"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.EndsWith("/dex/device/done", approved.Headers.Location!.ToString(), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(authorization.Interval));
        var tokens = await RedeemAsync(server, authorization.DeviceCode!);
        Assert.False(tokens.IsError, tokens.ErrorDescription);
        var access = await server.ValidateAsync(tokens.AccessToken!);
        Assert.True(access.IsValid, access.Exception?.Message);
        Assert.Equal("dev@local.prism", ((JsonWebToken)access.SecurityToken).GetClaim("email").Value);

        time.Advance(TimeSpan.FromSeconds(authorization.Interval));
        var reused = await RedeemAsync(server, authorization.DeviceCode!);
        Assert.Equal("invalid_grant", reused.Error);
        Assert.False(string.IsNullOrEmpty(reused.ErrorDescription));
    }

    [Fact]
    public async Task VerificationPage_WithWrongPassword_ShowsAnError_AndDoesNotApprove()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var authorization = await StartAsync(server);

        var response = await server.PostFormAsync("/device", Form(authorization.UserCode!, "wrong"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("email or password is incorrect", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("authorization_pending", (await RedeemAsync(server, authorization.DeviceCode!)).Error);
    }

    [Fact]
    public async Task DeviceAuthorization_AnnouncesAnInterval_AndPollingFasterIsAnsweredSlowDown()
    {
        using var home = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await IdentityServer.StartAsync(home.Path, services: s => s.AddSingleton<TimeProvider>(time));
        var authorization = await StartAsync(server);
        Assert.Equal(5, authorization.Interval);

        Assert.Equal("authorization_pending", (await RedeemAsync(server, authorization.DeviceCode!)).Error);
        time.Advance(TimeSpan.FromSeconds(1));
        var tooSoon = await RedeemAsync(server, authorization.DeviceCode!);
        Assert.Equal("slow_down", tooSoon.Error);
        Assert.Contains("wait at least 10 seconds", tooSoon.ErrorDescription, StringComparison.Ordinal);

        // The interval grew by 5 s (RFC 8628 3.5): 5 s later is still too soon, 10 s is not.
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("slow_down", (await RedeemAsync(server, authorization.DeviceCode!)).Error);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("authorization_pending", (await RedeemAsync(server, authorization.DeviceCode!)).Error);
    }

    [Fact]
    public async Task ExpiredDeviceCode_IsRejected_WithExpiredToken()
    {
        using var home = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await IdentityServer.StartAsync(home.Path, services: s => s.AddSingleton<TimeProvider>(time));
        var authorization = await StartAsync(server);

        time.Advance(TimeSpan.FromMinutes(6));
        var expired = await RedeemAsync(server, authorization.DeviceCode!);

        Assert.Equal("expired_token", expired.Error);
        Assert.False(string.IsNullOrEmpty(expired.ErrorDescription));
    }

    [Fact]
    public async Task ApprovalScreen_WhenNotSkipped_DenyingRejectsTheDevice()
    {
        using var home = new TempDirectory();
        var config = Path.Combine(home.Path, "dex.yaml");
        await File.WriteAllTextAsync(config, DexFiles.BuiltInWith("skipApprovalScreen: true", "skipApprovalScreen: false"));
        await using var server = await IdentityServer.StartAsync(home.Path, new Dictionary<string, string?> { ["identity:config"] = config });
        var authorization = await StartAsync(server);

        var approval = await server.PostFormAsync("/device", Form(authorization.UserCode!, "devpass"));
        var html = await approval.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        var ticket = HtmlForms.Field(html, "prism_ticket");

        var denied = await server.PostFormAsync("/device",
            [new("user_code", authorization.UserCode!), new("prism_ticket", ticket), new("prism_action", "deny")]);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Equal("access_denied", (await RedeemAsync(server, authorization.DeviceCode!)).Error);
    }

    private static async Task<DeviceAuthorizationResponse> StartAsync(IdentityServer server)
    {
        var response = await server.Http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = server.Issuer + "/device/code",
            ClientId = "prismctl",
            Scope = "openid profile email groups offline_access",
        }).WaitAsync(IdentityServer.Timeout);
        Assert.False(response.IsError, response.ErrorDescription);
        return response;
    }

    private static Task<TokenResponse> RedeemAsync(IdentityServer server, string deviceCode) =>
        server.Http.RequestDeviceTokenAsync(new DeviceTokenRequest
        {
            Address = server.TokenEndpoint,
            ClientId = "prismctl",
            DeviceCode = deviceCode,
        }).WaitAsync(IdentityServer.Timeout);

    private static KeyValuePair<string, string>[] Form(string userCode, string password) =>
        [new("user_code", userCode), new("prism_email", "dev@local.prism"), new("prism_password", password)];
}
