using Microsoft.Playwright;
using Prism.Admin.V1;
using Prism.Testing;
using Prism.Testing.Servers;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>The backend edit form (as <c>prismctl backend update</c>) in Chromium, checked through admin's API.</summary>
[Collection(ConsoleStackCollection.Name)]
public class ConsoleBackendEditTests(ConsoleStack stack)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Developer_EditsASqliteBackend_AdminStoresTheFormWithTheNextVersion()
    {
        using var directory = new TempDirectory("console-backend-edit");
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var name = ConsoleStack.NewNamespaceName("kve");
        var created = new Backend { Name = name, Type = "sqlite", Description = "before" };
        created.Settings["path"] = Path.Combine(directory.Path, "a.db");
        created.Labels["drop"] = "me";
        var version = (await stack.Admin.CreateBackendAsync(new CreateBackendRequest { Backend = created }, developer, DateTime.UtcNow + Wait)).Backend.Version;
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/backends");

        await page.Locator($"tr[data-instance='{name}'] a:text('Edit')").ClickAsync();
        await page.WaitForURLAsync($"{stack.ConsoleUrl}/backends/{name}/edit");
        await Expect(page.Locator("#backend-edit input[name=description]")).ToHaveValueAsync("before");
        var moved = Path.Combine(directory.Path, "b.db");
        await page.FillAsync("#backend-edit input[name=description]", "after");
        await page.FillAsync("#backend-edit textarea[name=settings]", "path=" + moved);
        await page.FillAsync("#backend-edit textarea[name=labels]", "owner=console");
        await page.ClickAsync("#backend-edit button:text('Save')");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Backend {name} updated (version {version + 1}).", new() { Timeout = 30_000 });
        var stored = (await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, developer, DateTime.UtcNow + Wait)).Backend;
        Assert.Equal("after", stored.Description);
        Assert.Equal(moved, stored.Settings["path"]);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "console" }, stored.Labels);
        Assert.Equal(ConsoleStack.Developer, stored.UpdatedBy);
        var audit = Assert.Single(await stack.AuditAsync("UpdateBackend", ""), e => e.ResourceId == name);
        Assert.Equal(ConsoleStack.Developer, audit.Actor);
        Assert.Equal("OK", audit.StatusCode);

        // Someone else changes it: the form, still at the version it read, is refused and their change stays.
        var elsewhere = stored.Clone();
        elsewhere.Description = "changed by prismctl";
        await stack.Admin.UpdateBackendAsync(new UpdateBackendRequest { Backend = elsewhere }, developer, DateTime.UtcNow + Wait);
        await page.FillAsync("#backend-edit input[name=description]", "changed in the console");
        await page.ClickAsync("#backend-edit button:text('Save')");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("It changed meanwhile; reload and try again.", new() { Timeout = 30_000 });
        await Expect(page.Locator("#backend-edit input[name=description]")).ToHaveValueAsync("changed in the console");
        Assert.Equal("changed by prismctl", (await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, developer, DateTime.UtcNow + Wait)).Backend.Description);
    }

    [Fact]
    public async Task RedisSecret_LeftEmptyIsKept_AWrongOneIsRefused_AndRemovingItIsWhatAdminIsAsked()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await redis.RequireAuthenticationAsync();
        const string Password = "prism-admin-password";
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var name = ConsoleStack.NewNamespaceName("rce");
        var created = new Backend { Name = name, Type = "redis", Description = "cache" };
        created.Secrets["url"] = $"redis://prism-admin:{Password}@127.0.0.1:{redis.Port}";
        var version = (await stack.Admin.CreateBackendAsync(new CreateBackendRequest { Backend = created }, developer, DateTime.UtcNow + Wait)).Backend.Version;
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync($"/backends/{name}/edit");
        await Expect(page.Locator("#backend-edit [data-secret='url']")).ToContainTextAsync("Remove url");
        await Expect(page.Locator("#backend-edit textarea[name=secrets]")).ToHaveValueAsync("");

        // Secrets left empty: admin keeps the stored url, and its connection test with it passes.
        await page.FillAsync("#backend-edit input[name=description]", "cache, edited");
        await page.ClickAsync("#backend-edit button:text('Save')");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Backend {name} updated (version {version + 1}).", new() { Timeout = 30_000 });
        var stored = (await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, developer, DateTime.UtcNow + Wait)).Backend;
        Assert.Equal("cache, edited", stored.Description);
        Assert.Equal(["url"], stored.SecretsSet);
        var status = await stack.Admin.GetBackendStatusAsync(new GetBackendStatusRequest { Names = { name } }, developer, DateTime.UtcNow + Wait);
        Assert.NotEqual(BackendHealth.Unhealthy, Assert.Single(status.Statuses).Health);

        // A wrong password: admin's connection test fails, nothing is stored, and the page never echoes the secret.
        await page.FillAsync("#backend-edit textarea[name=secrets]", $"url=redis://prism-admin:wrong-secret-value@127.0.0.1:{redis.Port}");
        await page.ClickAsync("#backend-edit button:text('Save')");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("connection test failed", new() { Timeout = 30_000 });
        await Expect(page.Locator("#backend-edit textarea[name=secrets]")).ToHaveValueAsync("");
        var content = await page.ContentAsync();
        Assert.DoesNotContain("wrong-secret-value", content, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, content, StringComparison.Ordinal);
        Assert.Equal(version + 1, (await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, developer, DateTime.UtcNow + Wait)).Backend.Version);

        // An empty value is not taken as a removal by accident.
        await page.GotoAsync($"/backends/{name}/edit");
        await page.FillAsync("#backend-edit textarea[name=secrets]", "url=");
        await page.ClickAsync("#backend-edit button:text('Save')");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Secrets, line 1: 'url' has no value");

        // The Remove box sends the removal: admin refuses it, as url is required for redis, and keeps the secret.
        await page.FillAsync("#backend-edit textarea[name=secrets]", "");
        await page.CheckAsync("#backend-edit input[name=remove_secret][value=url]");
        await page.ClickAsync("#backend-edit button:text('Save')");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("setting 'url' is required for type redis", new() { Timeout = 30_000 });
        stored = (await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, developer, DateTime.UtcNow + Wait)).Backend;
        Assert.Equal(["url"], stored.SecretsSet);
        Assert.Equal(version + 1, stored.Version);
    }

    [Fact]
    public async Task Viewer_SavingABackend_IsToldItNeedsAdminWrite()
    {
        using var directory = new TempDirectory("console-backend-viewer");
        var name = ConsoleStack.NewNamespaceName("kvv");
        var created = new Backend { Name = name, Type = "sqlite" };
        created.Settings["path"] = Path.Combine(directory.Path, "a.db");
        await stack.Admin.CreateBackendAsync(new CreateBackendRequest { Backend = created }, await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow + Wait);
        var page = await stack.SignedInPageAsync(ConsoleStack.Viewer);
        await page.GotoAsync($"/backends/{name}/edit");

        await page.FillAsync("#backend-edit input[name=description]", "not allowed");
        await page.ClickAsync("#backend-edit button:text('Save')");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"{ConsoleStack.Viewer} lacks permission admin:write");
        var stored = (await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow + Wait)).Backend;
        Assert.Equal("", stored.Description);
    }
}
