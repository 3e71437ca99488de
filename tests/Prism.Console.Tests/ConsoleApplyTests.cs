using Grpc.Core;
using Microsoft.Playwright;
using Prism.Admin.V1;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>The apply page (as <c>prismctl apply -f</c>) in Chromium: the same manifest, a dry run, errors, checked through admin's API.</summary>
[Collection(ConsoleStackCollection.Name)]
public class ConsoleApplyTests(ConsoleStack stack)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string Manifest(string backend, string ns, string description) => $"""
        kind: Backend
        name: {backend}
        type: memstore
        description: applied from the console
        ---
        kind: Namespace
        name: {ns}
        description: {description}
        patterns:
          keyvalue: {"{"}store: {backend}{"}"}
        access_groups: [team-orders]
        quotas:
          max_requests_per_second: 50
        queue:
          visibility_timeout: 45s
        labels: {"{"}owner: console{"}"}
        """;

    [Fact]
    public async Task Developer_ChecksThenAppliesAManifest_AdminStoresBothObjects_AndAgainIsUnchanged()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var backend = "mem-" + suffix;
        var ns = "apply-" + suffix;
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/apply");
        await page.FillAsync("textarea[name=manifest]", Manifest(backend, ns, "Orders"));

        // Dry run: admin checks both documents and stores nothing.
        await page.ClickAsync("button:text('Check only (dry run)')");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("dry run, nothing was changed", new() { Timeout = 30_000 });
        await Expect(page.Locator($"tr[data-result='backend/{backend}'] [data-action]")).ToHaveTextAsync("created (dry run)");
        await Expect(page.Locator($"tr[data-result='namespace/{ns}'] [data-action]")).ToHaveTextAsync("created (dry run)");
        var absent = await Assert.ThrowsAsync<RpcException>(async () =>
            await stack.Admin.GetNamespaceAsync(new GetNamespaceRequest { Name = ns }, developer, DateTime.UtcNow + Wait));
        Assert.Equal(StatusCode.NotFound, absent.StatusCode);
        // The answer replaced only the result: the manifest is still in the form, and was not sent back.
        await Expect(page.Locator("textarea[name=manifest]")).ToHaveValueAsync(Manifest(backend, ns, "Orders"));

        await page.ClickAsync("button:text('Apply')");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Applied 2 object(s).", new() { Timeout = 30_000 });
        await Expect(page.Locator($"tr[data-result='namespace/{ns}'] [data-action]")).ToHaveTextAsync("created");
        var stored = (await stack.Admin.GetNamespaceAsync(new GetNamespaceRequest { Name = ns }, developer, DateTime.UtcNow + Wait)).Namespace;
        Assert.Equal("Orders", stored.Description);
        Assert.Equal(backend, stored.Slots["keyvalue"].Bindings["store"]);
        Assert.Equal(["team-orders"], stored.AccessGroups);
        Assert.Equal(50, stored.Quotas.MaxRequestsPerSecond);
        Assert.Equal(45_000, stored.Queue.VisibilityTimeoutMs);
        Assert.Equal(ConsoleStack.Developer, stored.CreatedBy);
        Assert.Equal("memstore", (await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = backend }, developer, DateTime.UtcNow + Wait)).Backend.Type);
        Assert.Equal(ConsoleStack.Developer, Assert.Single(await stack.AuditAsync("Apply", ""), e => e.ResourceId == ns).Actor);

        await page.ClickAsync("button:text('Apply')");
        await Expect(page.Locator($"tr[data-result='namespace/{ns}'] [data-action]")).ToHaveTextAsync("unchanged", new() { Timeout = 30_000 });
        await Expect(page.Locator($"tr[data-result='backend/{backend}'] [data-action]")).ToHaveTextAsync("unchanged");
    }

    [Fact]
    public async Task ManifestErrors_AreListedByDocumentAndField_AndNothingIsSent()
    {
        var ns = ConsoleStack.NewNamespaceName("badapply");
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/apply");

        await page.FillAsync("textarea[name=manifest]", $"""
            kind: Namespace
            name: {ns}
            quotas:
              max_keys: 10
            ---
            kind: Backend
            name: secret-holder
            type: redis
            secrets:
              url: redis://u:${"{"}REDIS_PASSWORD{"}"}@127.0.0.1:6379
            """);
        await page.ClickAsync("button:text('Apply')");

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("The manifest is not valid; nothing was sent.");
        await Expect(alert).ToContainTextAsync($"manifest: document 1 (namespace/{ns}), line 4: field 'quotas.max_keys': was removed from the API");
        await Expect(alert).ToContainTextAsync("document 2 (backend/secret-holder), line 10: field 'secrets.url': ${REDIS_PASSWORD} is expanded by prismctl apply");
        var lookup = await Assert.ThrowsAsync<RpcException>(async () => await stack.Admin.GetNamespaceAsync(new GetNamespaceRequest { Name = ns },
            await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow + Wait));
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task AdminsRefusal_IsShownWithTheDocumentItIsAbout()
    {
        var ns = ConsoleStack.NewNamespaceName("unbound");
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/apply");

        await page.FillAsync("textarea[name=manifest]", $"""
            kind: Namespace
            name: {ns}
            patterns:
              keyvalue: {"{"}store: no-such-instance{"}"}
            """);
        await page.ClickAsync("button:text('Check only (dry run)')");

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync($"manifest document 1: namespace '{ns}'", new() { Timeout = 30_000 });
        await Expect(alert).ToContainTextAsync("no-such-instance");
    }

    [Fact]
    public async Task PostsWithoutTheAntiforgeryToken_ToApplyBackendEditAndTerminateIdentity_AreRefused_AndChangeNothing()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var ns = "forged-" + suffix;
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var backend = (await stack.Admin.CreateBackendAsync(new CreateBackendRequest { Backend = new Backend { Name = "forged-mem-" + suffix, Type = "memstore" } },
            developer, DateTime.UtcNow + Wait)).Backend;
        var identity = $"svc-{suffix}@local.prism";
        var now = DateTimeOffset.UtcNow;
        await stack.Store.UpsertSessionAsync(new Prism.ControlStore.SessionRecord("s-" + suffix, identity, "prismctl", "orders", "proxy/test",
            Prism.ControlStore.SessionStatus.Active, now, now, 1, 1, 1, null, null), CancellationToken.None);
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        var forms = page.Context.APIRequest;

        var posts = new (string Path, IFormData Form)[]
        {
            ("/apply", forms.CreateFormData().Set("manifest", $"kind: Namespace\nname: {ns}\n")),
            ($"/backends/{backend.Name}/edit", forms.CreateFormData().Set("version", backend.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("type", "memstore").Set("description", "forged")),
            ("/sessions/terminate-identity", forms.CreateFormData().Set("identity", identity)),
        };
        foreach (var (path, form) in posts)
        {
            var response = await forms.PostAsync(path, new APIRequestContextOptions { Form = form });
            Assert.Equal(400, response.Status);
            Assert.Contains("antiforgery", await response.TextAsync(), StringComparison.Ordinal);
        }

        var lookup = await Assert.ThrowsAsync<RpcException>(async () =>
            await stack.Admin.GetNamespaceAsync(new GetNamespaceRequest { Name = ns }, developer, DateTime.UtcNow + Wait));
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
        Assert.Equal("", (await stack.Admin.GetBackendAsync(new GetBackendRequest { Name = backend.Name }, developer, DateTime.UtcNow + Wait)).Backend.Description);
        Assert.Equal(SessionState.Active, (await stack.Admin.GetSessionAsync(new GetSessionRequest { Id = "s-" + suffix }, developer, DateTime.UtcNow + Wait)).Session.State);
    }
}
