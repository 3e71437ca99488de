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
}
