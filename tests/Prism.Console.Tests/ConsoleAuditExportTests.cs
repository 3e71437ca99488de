using System.Text.Json;
using Microsoft.Playwright;
using Prism.Admin.V1;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>The audit export (as <c>prismctl audit export</c>) downloaded in Chromium: JSON lines of admin's entries, refused without admin:audit.</summary>
[Collection(ConsoleStackCollection.Name)]
public class ConsoleAuditExportTests(ConsoleStack stack)
{
    [Fact]
    public async Task Developer_ExportsTheLastHour_AsJsonLinesOldestFirst_WithTheEntryOfAChangeJustMade()
    {
        var name = ConsoleStack.NewNamespaceName("exported");
        await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = name } },
            await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30));
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/audit");

        await page.FillAsync("input[name=since]", "1h");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("button:text('Export')"));

        Assert.EndsWith(".jsonl", download.SuggestedFilename, StringComparison.Ordinal);
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var created = Assert.Single(entries, e => e.GetProperty("operation").GetString() == "CreateNamespace" && e.GetProperty("resource_id").GetString() == name);
        Assert.Equal(ConsoleStack.Developer, created.GetProperty("actor").GetString());
        var sequences = entries.Select(e => long.Parse(e.GetProperty("sequence").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sequences.Order(), sequences);
    }

    [Fact]
    public async Task Viewer_Exporting_IsToldItNeedsAdminAudit_AndABadTimeIsNamed()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Viewer);

        var refused = await page.GotoAsync("/audit/export?since=1h");
        Assert.Equal(403, refused!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("ExportAuditLog requires admin:audit");

        var bad = await page.GotoAsync("/audit/export?since=yesterday");
        Assert.Equal(400, bad!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Since: expected a duration ago (15m, 30d) or an RFC 3339 time (2025-10-09T11:00:00Z), got 'yesterday'");
    }
}
