using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>A stack whose identity provider issues access tokens that live 5 seconds.</summary>
public sealed class ShortTokenConsoleStack : ConsoleStack
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(5);

    protected override string IdentityConfig(string builtIn) =>
        builtIn.Replace("idTokens: 1h", $"idTokens: {TokenLifetime.TotalSeconds}s", StringComparison.Ordinal);
}

/// <summary>A console session outlives its access token: the refresh token renews it.</summary>
public class SessionRenewalTests(ShortTokenConsoleStack stack) : IClassFixture<ShortTokenConsoleStack>
{
    [Fact]
    public async Task AfterTheFirstAccessTokenExpired_PagesStillLoad_WithAdminCallsMadeByTheSameUser()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await Expect(page.GetByTestId("user")).ToHaveTextAsync(ConsoleStack.Developer);

        // Past the lifetime of the token the sign-in gave: without renewal the next page would sign in again.
        await Task.Delay(ShortTokenConsoleStack.TokenLifetime + TimeSpan.FromSeconds(1));
        var name = ConsoleStack.NewNamespaceName("renewed");
        await page.GotoAsync("/namespaces");
        await page.FillAsync("input[name=name]", name);
        await page.ClickAsync("#namespaces-panel button:text('Create')");

        Assert.Equal(stack.ConsoleUrl + "/namespaces", page.Url);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Namespace {name} created.");
        var created = Assert.Single(await stack.AuditAsync("CreateNamespace", name));
        Assert.Equal(ConsoleStack.Developer, created.Actor);
    }
}
