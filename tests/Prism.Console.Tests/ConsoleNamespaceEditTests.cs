using Microsoft.Playwright;
using Prism.Admin.V1;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>The namespace edit form in Chromium: what it saves is what admin stores, and a stale version is refused.</summary>
[Collection(ConsoleStackCollection.Name)]
public class ConsoleNamespaceEditTests(ConsoleStack stack)
{
    [Fact]
    public async Task Developer_EditsSlotsGroupsQuotasAndQueue_AdminStoresThemWithTheNextVersion()
    {
        var name = ConsoleStack.NewNamespaceName("edit");
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var created = await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = name, Description = "before" } },
            developer, DateTime.UtcNow.AddSeconds(30));
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);

        await page.Locator($"tr[data-namespace='{name}'] a:text('Edit')").ClickAsync();
        await page.WaitForURLAsync($"{stack.ConsoleUrl}/namespaces/{name}/edit");
        await Expect(page.Locator("input[name=description]")).ToHaveValueAsync("before");
        await page.FillAsync("input[name=description]", "after");
        await page.FillAsync("textarea[name=slots]", "keyvalue.store=memstore");
        await page.FillAsync("input[name=access_groups]", "team-a, team-b");
        await page.FillAsync("input[name=max_rps]", "50");
        await page.FillAsync("input[name=queue_max_retries]", "7");
        await page.FillAsync("textarea[name=labels]", "owner=console");
        await page.ClickAsync("#namespace-edit button:text('Save')");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Namespace {name} updated (version {created.Namespace.Version + 1}).");
        var stored = (await stack.Admin.GetNamespaceAsync(new GetNamespaceRequest { Name = name }, developer, DateTime.UtcNow.AddSeconds(30))).Namespace;
        Assert.Equal("after", stored.Description);
        Assert.Equal("memstore", stored.Slots["keyvalue"].Bindings["store"]);
        Assert.Equal(["team-a", "team-b"], stored.AccessGroups);
        Assert.Equal(50, stored.Quotas.MaxRequestsPerSecond);
        Assert.Equal(7, stored.Queue.MaxRetries);
        Assert.False(stored.Queue.HasMaxInFlight);
        Assert.Equal("console", stored.Labels["owner"]);
        Assert.Equal(ConsoleStack.Developer, stored.UpdatedBy);
        var audit = Assert.Single(await stack.AuditAsync("UpdateNamespace", name));
        Assert.Equal(ConsoleStack.Developer, audit.Actor);
        Assert.Equal("OK", audit.StatusCode);
    }

    [Fact]
    public async Task SavingAfterSomeoneElseChangedTheNamespace_IsRefused_AndTheirChangeStays()
    {
        var name = ConsoleStack.NewNamespaceName("race");
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var created = await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = name } },
            developer, DateTime.UtcNow.AddSeconds(30));
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync($"/namespaces/{name}/edit");
        var elsewhere = created.Namespace.Clone();
        elsewhere.Description = "changed by prismctl";
        await stack.Admin.UpdateNamespaceAsync(new UpdateNamespaceRequest { Namespace = elsewhere }, developer, DateTime.UtcNow.AddSeconds(30));

        await page.FillAsync("input[name=description]", "changed in the console");
        await page.ClickAsync("#namespace-edit button:text('Save')");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("It changed meanwhile; reload and try again.");
        await Expect(page.Locator("input[name=description]")).ToHaveValueAsync("changed in the console");
        var stored = (await stack.Admin.GetNamespaceAsync(new GetNamespaceRequest { Name = name }, developer, DateTime.UtcNow.AddSeconds(30))).Namespace;
        Assert.Equal("changed by prismctl", stored.Description);
    }

    [Fact]
    public async Task SlotLineWithoutAPatternDotSlot_IsNamedInTheError()
    {
        var name = ConsoleStack.NewNamespaceName("slot");
        await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = name } },
            await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30));
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync($"/namespaces/{name}/edit");

        await page.FillAsync("textarea[name=slots]", "store=memstore");
        await page.ClickAsync("#namespace-edit button:text('Save')");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Slots: 'store' is not pattern.slot (for example keyvalue.store)");
    }
}
