using Grpc.Core;
using Microsoft.Playwright;
using Prism.Admin.V1;
using Prism.ControlStore;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>The console in real headless Chromium against the real identity provider and admin.</summary>
[Collection(ConsoleStackCollection.Name)]
public class ConsoleBrowserTests(ConsoleStack stack)
{
    [Fact]
    public async Task UnauthenticatedVisit_RedirectsToTheIdentityLoginPage()
    {
        var page = await stack.NewPageAsync();

        await page.GotoAsync("/namespaces");

        await page.WaitForURLAsync(url => url.StartsWith(stack.Issuer + "/auth?", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Expect(page.Locator("main")).ToContainTextAsync("Prism Console asks you to sign in");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(page.Url).Query);
        Assert.Equal("prism-console", query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(stack.ConsoleUrl + "/signin-oidc", query["redirect_uri"]);
    }

    [Fact]
    public async Task Developer_CreatesNamespaceThroughTheForm_SeesItListed_AndAdminAuditsTheDeveloper()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await Expect(page.GetByTestId("user")).ToHaveTextAsync(ConsoleStack.Developer);
        var name = ConsoleStack.NewNamespaceName("ui");

        await page.FillAsync("input[name=name]", name);
        await page.FillAsync("input[name=description]", "made in the browser");
        await page.ClickAsync("#namespaces-panel button:text('Create')");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Namespace {name} created.");
        var row = page.Locator($"tr[data-namespace='{name}']");
        await Expect(row).ToContainTextAsync("made in the browser");
        await Expect(row).ToContainTextAsync(ConsoleStack.Developer);

        var stored = await stack.Admin.GetNamespaceAsync(new GetNamespaceRequest { Name = name },
            await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30));
        Assert.Equal("made in the browser", stored.Namespace.Description);
        Assert.Equal(ConsoleStack.Developer, stored.Namespace.CreatedBy);
        var audit = Assert.Single(await stack.AuditAsync("CreateNamespace", name));
        Assert.Equal(ConsoleStack.Developer, audit.Actor);
        Assert.Equal("OK", audit.StatusCode);
        Assert.Contains("prism:admin", audit.ActorGroups);

        // The session cookie is not readable by scripts and not sent on cross-site subrequests.
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "prism-console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);

        // One cookie, not chunks: proxies with 8 KB header limits drop a session split over several.
        var session = (await page.Context.CookiesAsync()).Where(c => c.Name.StartsWith("prism-console", StringComparison.Ordinal) && c.Name != "prism-console-csrf").ToList();
        Assert.Equal(["prism-console"], session.Select(c => c.Name));
        Assert.True(cookie.Value.Length < 4000, $"the session cookie is {cookie.Value.Length} bytes");
    }

    [Fact]
    public async Task Viewer_SeesNamespaces_ButCreatingOne_ShowsPermissionDeniedNamingAdminWrite()
    {
        var existing = ConsoleStack.NewNamespaceName("seen");
        await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = existing } },
            await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30));
        var page = await stack.SignedInPageAsync(ConsoleStack.Viewer);
        await Expect(page.Locator($"tr[data-namespace='{existing}']")).ToBeVisibleAsync();
        var name = ConsoleStack.NewNamespaceName("denied");

        await page.FillAsync("input[name=name]", name);
        await page.ClickAsync("#namespaces-panel button:text('Create')");

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Permission denied: CreateNamespace requires admin:write");
        await Expect(alert).ToContainTextAsync($"{ConsoleStack.Viewer} lacks permission admin:write");
        await Expect(page.Locator("input[name=name]")).ToHaveValueAsync(name);
        await Expect(page.Locator($"tr[data-namespace='{name}']")).ToHaveCountAsync(0);
        var denial = Assert.Single(await stack.AuditAsync("CreateNamespace", name));
        Assert.Equal(ConsoleStack.Viewer, denial.Actor);
        Assert.Equal("PERMISSION_DENIED", denial.StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndTheNextVisitAsksToSignInAgain()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);

        await page.ClickAsync("nav button:text('Sign out')");

        await page.WaitForURLAsync(stack.ConsoleUrl + "/signed-out");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are signed out of the Prism console.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "prism-console");
        await page.GotoAsync("/namespaces");
        await page.WaitForURLAsync(url => url.StartsWith(stack.Issuer + "/auth?", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
    }

    [Fact]
    public async Task RefreshButton_ReplacesOnlyTheList_ShowingANamespaceCreatedElsewhere()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        var name = ConsoleStack.NewNamespaceName("cli");
        await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = name } },
            await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30));
        await Expect(page.Locator($"tr[data-namespace='{name}']")).ToHaveCountAsync(0);
        // Survives only if the document is not reloaded.
        await page.EvaluateAsync("() => { window.prismMarker = 'kept'; document.querySelector('input[name=description]').value = 'typed'; }");

        var refresh = page.WaitForResponseAsync(r => r.Url.EndsWith("/namespaces/list", StringComparison.Ordinal) && r.Request.Headers.ContainsKey("hx-request"));
        await page.ClickAsync("#namespace-list button:text('Refresh')");
        await refresh;

        await Expect(page.Locator($"tr[data-namespace='{name}']")).ToBeVisibleAsync();
        Assert.Equal("kept", await page.EvaluateAsync<string>("() => window.prismMarker"));
        await Expect(page.Locator("input[name=description]")).ToHaveValueAsync("typed");
    }

    [Fact]
    public async Task HtmxRequest_AfterTheSessionIsGone_TakesTheWholePageToTheLoginForm()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.Context.ClearCookiesAsync(new BrowserContextClearCookiesOptions { Name = "prism-console" });

        await page.ClickAsync("#namespace-list button:text('Refresh')");

        await page.WaitForURLAsync(url => url.StartsWith(stack.Issuer + "/auth?", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
    }

    [Fact]
    public async Task BackendsPage_FetchesTheHealthTableThroughHtmx_AfterThePageLoads()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);

        var response = await page.GotoAsync("/backends");

        Assert.DoesNotContain("data-backend=", await response!.TextAsync());
        await Expect(page.Locator("tr[data-backend='memstore'] [data-health]")).ToHaveTextAsync("HEALTHY");
        await Expect(page.Locator("tr[data-backend='redis'] [data-health]")).ToHaveTextAsync("UNHEALTHY");
    }

    [Fact]
    public async Task Maintenance_SwitchedThroughTheForm_IsWhatAdminReports()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/maintenance");

        await page.CheckAsync("input[name=enabled]");
        await page.FillAsync("input[name=message]", "console test window");
        await page.ClickAsync("#maintenance-panel button:text('Save')");
        await Expect(page.Locator("[data-maintenance]")).ToHaveAttributeAsync("data-maintenance", "on");
        var on = await stack.Admin.GetMaintenanceModeAsync(new GetMaintenanceModeRequest(), await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30));

        await page.UncheckAsync("input[name=enabled]");
        await page.ClickAsync("#maintenance-panel button:text('Save')");
        await Expect(page.Locator("[data-maintenance]")).ToHaveAttributeAsync("data-maintenance", "off");
        var off = await stack.Admin.GetMaintenanceModeAsync(new GetMaintenanceModeRequest(), await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30));

        Assert.True(on.Maintenance.Enabled);
        Assert.Equal("console test window", on.Maintenance.Message);
        Assert.Equal(ConsoleStack.Developer, on.Maintenance.SetBy);
        Assert.False(off.Maintenance.Enabled);
    }

    [Fact]
    public async Task AuditPage_ShowsTheLatestEntriesNewestFirst_AndOlderPagesFollow()
    {
        var viewer = await stack.BearerAsync(ConsoleStack.Viewer);
        for (var i = 0; i < 60; i++)
        {
            await stack.Admin.ListBackendsAsync(new ListBackendsRequest(), viewer, DateTime.UtcNow.AddSeconds(30));
        }

        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync($"/audit?actor={Uri.EscapeDataString(ConsoleStack.Viewer)}&operation=ListBackends");

        var rows = page.Locator("#audit-panel tr[data-sequence]");
        await Expect(rows).ToHaveCountAsync(50);
        var first = await Sequences(rows);
        Assert.Equal(first.OrderDescending(), first);
        await page.ClickAsync("text=Older entries");
        await Expect(page.Locator("#audit-panel a:text('Latest entries')")).ToBeVisibleAsync();
        var older = await Sequences(rows);

        Assert.NotEmpty(older);
        Assert.True(older.Max() < first.Min(), "the older page continues below the first one");
        Assert.Equal(older.OrderDescending(), older);
        Assert.Contains("before=", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_OpeningTheAuditLog_IsToldItNeedsAdminAudit()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Viewer);

        var response = await page.GotoAsync("/audit");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("GetAuditLog requires admin:audit");
    }

    [Fact]
    public async Task FormPostWithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        var name = ConsoleStack.NewNamespaceName("forged");

        var response = await page.Context.APIRequest.PostAsync("/namespaces", new APIRequestContextOptions
        {
            Form = page.Context.APIRequest.CreateFormData().Set("name", name),
        });

        Assert.Equal(400, response.Status);
        Assert.Contains("antiforgery", await response.TextAsync(), StringComparison.Ordinal);
        var lookup = await Assert.ThrowsAsync<RpcException>(async () => await stack.Admin.GetNamespaceAsync(
            new GetNamespaceRequest { Name = name }, await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Developer_TerminatesAProxySession_AdminRecordsWhoAndWhy()
    {
        var name = ConsoleStack.NewNamespaceName("sess");
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = name } }, developer, DateTime.UtcNow.AddSeconds(30));
        await stack.SetThroughProxyAsync(ConsoleStack.Viewer, name);
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        // The proxy writes session records to the store in the background: reload until it is there.
        var row = page.Locator("#sessions-panel tr[data-session]", new PageLocatorOptions { HasText = name });
        await page.GotoAsync("/sessions");
        for (var attempt = 0; attempt < 100 && await row.CountAsync() == 0; attempt++)
        {
            await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#sessions-panel button:text('Refresh')"),
                r => new Uri(r.Url).AbsolutePath == "/sessions");
        }

        await Expect(row).ToContainTextAsync(ConsoleStack.Viewer);
        await Expect(row).ToContainTextAsync("ACTIVE");
        var id = await row.GetAttributeAsync("data-session");

        // A lease as a proxy records it for a dynamic-credential backend: the row shows backend and principal.
        var now = DateTimeOffset.UtcNow;
        await stack.Store.RecordLeaseAsync(new LeaseRecord("l-" + id, id!, "redis-cache", name, "prism-s-l-" + id, "proxy/x", "proxy", now, now.AddHours(1)),
            new AuditRecord(Guid.NewGuid(), now, "proxy:proxy", [], "IssueCredential", "credential_lease", "l-" + id, name, null, true, null, "OK",
                new Dictionary<string, string>()), CancellationToken.None);
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#sessions-panel button:text('Refresh')"), r => new Uri(r.Url).AbsolutePath == "/sessions");
        await Expect(row.Locator("[data-lease]")).ToContainTextAsync("redis-cache: prism-s-l-" + id);
        await row.Locator("input[name=reason]").FillAsync("console test");
        await row.Locator("button:text('Terminate')").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Session {id} terminated.");
        var session = await stack.Admin.GetSessionAsync(new GetSessionRequest { Id = id }, developer, DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(SessionState.Terminated, session.Session.State);
        Assert.Equal(ConsoleStack.Developer, session.Session.TerminatedBy);
        Assert.Equal("console test", session.Session.TerminationReason);
    }

    private static async Task<List<long>> Sequences(ILocator rows) =>
        [.. (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.sequence)")).Select(long.Parse)];
}
