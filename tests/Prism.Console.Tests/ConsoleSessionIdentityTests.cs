using Microsoft.Playwright;
using Prism.Admin.V1;
using Prism.ControlStore;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>
/// Terminating every session of an identity (as <c>prismctl session terminate --all-of-identity</c>) in Chromium.
/// The sessions are recorded in the control store as a proxy records them, for a service identity no other test
/// signs in as (terminating an identity also refuses the tokens it holds).
/// </summary>
[Collection(ConsoleStackCollection.Name)]
public class ConsoleSessionIdentityTests(ConsoleStack stack)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Developer_TerminatesEverySessionOfAnIdentity_OthersStayActive_AdminRecordsWhoAndWhy()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var identity = $"svc-{suffix}@local.prism";
        var mine = new[] { $"s-{suffix}-a", $"s-{suffix}-b" };
        var other = $"s-{suffix}-other";
        await RecordSessionAsync(mine[0], identity, "orders");
        await RecordSessionAsync(mine[1], identity, "billing");
        await RecordSessionAsync(other, $"someone-{suffix}@local.prism", "orders");
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/sessions");

        await page.FillAsync("#sessions-panel input[name=identity]", identity);
        await page.FillAsync("#sessions-panel fieldset input[name=reason]", "key leaked");
        await page.ClickAsync("#sessions-panel button:text('Terminate all')");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(
            $"Terminated 2 active session(s) of {identity}; its tokens issued until now are refused.", new() { Timeout = 30_000 });
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        foreach (var id in mine)
        {
            var session = (await stack.Admin.GetSessionAsync(new GetSessionRequest { Id = id }, developer, DateTime.UtcNow + Wait)).Session;
            Assert.Equal(SessionState.Terminated, session.State);
            Assert.Equal(ConsoleStack.Developer, session.TerminatedBy);
            Assert.Equal("key leaked", session.TerminationReason);
        }

        Assert.Equal(SessionState.Active, (await stack.Admin.GetSessionAsync(new GetSessionRequest { Id = other }, developer, DateTime.UtcNow + Wait)).Session.State);
        await Expect(page.Locator($"#sessions-panel tr[data-session='{mine[0]}']")).ToHaveCountAsync(0);
        var audit = Assert.Single(await stack.AuditAsync("TerminateSession", ""), e => e.ResourceId.Contains(identity, StringComparison.Ordinal));
        Assert.Equal(ConsoleStack.Developer, audit.Actor);
        Assert.Equal("OK", audit.StatusCode);
    }

    [Fact]
    public async Task Viewer_TerminatingAnIdentity_IsToldItNeedsAdminOperational_AndTheSessionStays()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var identity = $"svc-{suffix}@local.prism";
        await RecordSessionAsync($"s-{suffix}", identity, "orders");
        var page = await stack.SignedInPageAsync(ConsoleStack.Viewer);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/sessions");

        await page.FillAsync("#sessions-panel input[name=identity]", identity);
        await page.ClickAsync("#sessions-panel button:text('Terminate all')");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"{ConsoleStack.Viewer} lacks permission admin:operational");
        var session = (await stack.Admin.GetSessionAsync(new GetSessionRequest { Id = $"s-{suffix}" }, await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow + Wait)).Session;
        Assert.Equal(SessionState.Active, session.State);
    }

    private Task RecordSessionAsync(string id, string identity, string @namespace)
    {
        var now = DateTimeOffset.UtcNow;
        return stack.Store.UpsertSessionAsync(
            new SessionRecord(id, identity, "prismctl", @namespace, "proxy/test", SessionStatus.Active, now, now, 1, 10, 20, null, null), CancellationToken.None);
    }
}
