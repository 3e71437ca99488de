using System.Globalization;
using Grpc.Core;
using Microsoft.Playwright;
using Prism.Admin.V1;
using Prism.Testing;
using Prism.Testing.Servers;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>The overview page and the backend instance forms, in Chromium, checked through admin's API.</summary>
[Collection(ConsoleStackCollection.Name)]
public class ConsoleOverviewAndBackendTests(ConsoleStack stack)
{
    [Fact]
    public async Task Overview_ShowsModuleAndBackendHealth_AndPollsAdminWithoutReloading()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);

        await page.GotoAsync("/");

        await Expect(page.Locator("tr[data-module='admin'] [data-health]")).ToHaveTextAsync("HEALTHY");
        await Expect(page.Locator("tr[data-module='identity'] [data-health]")).ToHaveTextAsync("HEALTHY");
        await Expect(page.Locator("tr[data-module='identity']")).ToContainTextAsync("discovery answered in");
        await Expect(page.Locator("#overview tr[data-backend='memstore'] [data-health]")).ToHaveTextAsync("HEALTHY");
        await Expect(page.Locator("#overview tr[data-backend='redis'] [data-health]")).ToHaveTextAsync("UNHEALTHY");
        await Expect(page.Locator("#overview")).ToHaveAttributeAsync("hx-trigger", "every 5s");

        // A namespace created elsewhere shows in the count at the next poll, in the same document.
        await page.EvaluateAsync("() => { window.prismMarker = 'kept'; }");
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = ConsoleStack.NewNamespaceName("count") } },
            developer, DateTime.UtcNow.AddSeconds(30));
        var metrics = await stack.Admin.GetMetricsAsync(new GetMetricsRequest(), developer, DateTime.UtcNow.AddSeconds(30));
        var namespaces = metrics.Metrics.Single(m => m.Name == "prism_admin_namespaces").Value;
        var poll = page.WaitForResponseAsync(r => r.Url.EndsWith("/overview", StringComparison.Ordinal) && r.Request.Headers.ContainsKey("hx-request"),
            new PageWaitForResponseOptions { Timeout = 15_000 });
        await poll;
        await Expect(page.Locator("tr[data-metric='prism_admin_namespaces'] td").Nth(1))
            .ToHaveTextAsync(namespaces.ToString("0.##", CultureInfo.InvariantCulture));
        Assert.Equal("kept", await page.EvaluateAsync<string>("() => window.prismMarker"));
    }

    [Fact]
    public async Task Developer_CreatesASqliteBackendThroughTheForm_ThenDeletesIt()
    {
        using var directory = new TempDirectory("console-backend");
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/backends");
        var name = ConsoleStack.NewNamespaceName("kv");
        var path = Path.Combine(directory.Path, "kv.db");

        await page.FillAsync("#backends-panel input[name=name]", name);
        await page.FillAsync("#backends-panel input[name=type]", "sqlite");
        await page.FillAsync("#backends-panel textarea[name=settings]", "path=" + path);
        await page.ClickAsync("#backends-panel button:text('Create')");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Backend {name} created.", new() { Timeout = 30_000 });
        await Expect(page.Locator($"tr[data-instance='{name}']")).ToContainTextAsync("api");
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var stored = await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, developer, DateTime.UtcNow.AddSeconds(30));
        Assert.Equal("sqlite", stored.Backend.Type);
        Assert.Equal(path, stored.Backend.Settings["path"]);
        Assert.Equal(ConsoleStack.Developer, stored.Backend.CreatedBy);

        await page.Locator($"tr[data-instance='{name}'] button:text('Delete')").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Backend {name} deleted.");
        var lookup = await Assert.ThrowsAsync<RpcException>(async () =>
            await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, developer, DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
        var audit = Assert.Single(await stack.AuditAsync("DeleteBackend", ""), e => e.ResourceId == name);
        Assert.Equal(ConsoleStack.Developer, audit.Actor);
    }

    [Fact]
    public async Task RedisBackendSecret_IsWrittenToAdmin_ButNeverShownBack()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await redis.RequireAuthenticationAsync();
        const string Password = "prism-admin-password";
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/backends");
        var name = ConsoleStack.NewNamespaceName("rc");

        // A wrong password first: admin's connection attempt fails, and neither the error nor the form echoes the secret.
        await page.FillAsync("#backends-panel input[name=name]", name);
        await page.FillAsync("#backends-panel input[name=type]", "redis");
        await page.FillAsync("#backends-panel textarea[name=secrets]", $"url=redis://prism-admin:wrong-secret-value@127.0.0.1:{redis.Port}");
        await page.ClickAsync("#backends-panel button:text('Create')");
        // Admin first tries to connect with the credentials, within its backend health timeout: allow for a loaded machine.
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#backends-panel input[name=name]")).ToHaveValueAsync(name);
        await Expect(page.Locator("#backends-panel textarea[name=secrets]")).ToHaveValueAsync("");
        Assert.DoesNotContain("wrong-secret-value", await page.ContentAsync(), StringComparison.Ordinal);

        await page.FillAsync("#backends-panel textarea[name=secrets]", $"url=redis://prism-admin:{Password}@127.0.0.1:{redis.Port}");
        await page.ClickAsync("#backends-panel button:text('Create')");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Backend {name} created.", new() { Timeout = 30_000 });
        await Expect(page.Locator($"tr[data-instance='{name}']")).ToContainTextAsync("url");
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
        var stored = await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name }, await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(["url"], stored.Backend.SecretsSet);
        Assert.Empty(stored.Backend.Secrets);
    }

    [Fact]
    public async Task BackendForm_WithASettingsLineThatIsNotKeyValue_NamesTheLine_AndCreatesNothing()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/backends");
        var name = ConsoleStack.NewNamespaceName("bad");

        await page.FillAsync("#backends-panel input[name=name]", name);
        await page.FillAsync("#backends-panel input[name=type]", "sqlite");
        await page.FillAsync("#backends-panel textarea[name=settings]", "\njust-a-path");
        await page.ClickAsync("#backends-panel button:text('Create')");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Settings, line 2: expected key=value, got 'just-a-path'");
        var lookup = await Assert.ThrowsAsync<RpcException>(async () => await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = name },
            await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }
}
