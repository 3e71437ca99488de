using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class ThrottleTests
{
    [Fact]
    public async Task RepeatedFailures_RefuseEvenTheRightPassword_UntilTheDelayHasPassed()
    {
        using var home = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await IdentityServer.StartAsync(home.Path, services: s => s.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("invalid_grant", (await server.PasswordTokenAsync(password: "guess" + i)).Error);
        }

        var throttled = await server.PasswordTokenAsync();
        Assert.Equal("invalid_grant", throttled.Error);
        Assert.StartsWith("Too many failed sign-in attempts", throttled.ErrorDescription, StringComparison.Ordinal);

        var otherAccount = await server.PasswordTokenAsync(user: "test@local.prism");
        Assert.False(otherAccount.IsError, otherAccount.ErrorDescription);

        time.Advance(TimeSpan.FromSeconds(31));
        var afterDelay = await server.PasswordTokenAsync();
        Assert.False(afterDelay.IsError, afterDelay.ErrorDescription);
    }

    [Fact]
    public async Task EachFurtherFailure_DoublesTheDelay()
    {
        using var home = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await IdentityServer.StartAsync(home.Path, services: s => s.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 5; i++)
        {
            await server.PasswordTokenAsync(password: "guess");
        }

        time.Advance(TimeSpan.FromSeconds(31));
        await server.PasswordTokenAsync(password: "guess again");
        time.Advance(TimeSpan.FromSeconds(31));

        var stillThrottled = await server.PasswordTokenAsync();
        Assert.StartsWith("Too many failed sign-in attempts", stillThrottled.ErrorDescription, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False((await server.PasswordTokenAsync()).IsError);
    }

    [Fact]
    public async Task WrongPasswordsFromOneAddress_DoNotLockTheAccountFromAnother()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        using var attacker = IdentityServer.ClientFrom("127.0.0.2");
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal("invalid_grant", (await server.PasswordTokenAsync(password: "guess" + i, http: attacker)).Error);
        }

        var attackerRight = await server.PasswordTokenAsync(http: attacker);
        Assert.StartsWith("Too many failed sign-in attempts", attackerRight.ErrorDescription, StringComparison.Ordinal);

        // The admin signs in from their own address with the right password.
        var admin = await server.PasswordTokenAsync();
        Assert.False(admin.IsError, admin.ErrorDescription);
    }

    [Fact]
    public async Task OneAddressSprayingManyNames_IsSlowedDown_AndTheTablesStayBounded()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path, services: s => s.Configure<Configuration.IdentityOptions>(o => o.ThrottleCapacity = 8));
        using var attacker = IdentityServer.ClientFrom("127.0.0.3");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("invalid_grant", (await server.PasswordTokenAsync(user: $"nobody{i}@example.com", password: "x", http: attacker)).Error);
        }

        // 20 failures over 20 names (4 x the threshold of 5): the address is slowed down for any name.
        var next = await server.PasswordTokenAsync(user: "test@local.prism", http: attacker);
        Assert.StartsWith("Too many failed sign-in attempts", next.ErrorDescription, StringComparison.Ordinal);
        Assert.False((await server.PasswordTokenAsync(user: "test@local.prism")).IsError);

        var throttle = server.App.Services.GetRequiredService<Accounts.LoginThrottle>();
        Assert.InRange(throttle.Count, 1, 16);
    }

    [Fact]
    public async Task TokenEndpoint_BeyondThePerAddressLimit_Answers429SlowDown()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path, new Dictionary<string, string?> { ["identity:tokenRateLimit"] = "10" });
        using var busy = IdentityServer.ClientFrom("127.0.0.4");
        for (var i = 0; i < 10; i++)
        {
            Assert.False((await server.PasswordTokenAsync(http: busy)).IsError);
        }

        using var response = await busy.PostAsync(new Uri(server.TokenEndpoint), new FormUrlEncodedContent(
            [new("grant_type", "password"), new("client_id", "prismctl"), new("username", "dev@local.prism"), new("password", "devpass")]));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("\"error\":\"slow_down\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another address is not affected.
        Assert.False((await server.PasswordTokenAsync()).IsError);
    }
}
