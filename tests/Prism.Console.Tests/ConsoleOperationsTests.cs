using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Prism.Admin.V1;
using Prism.Backends;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using Prism.Hosting.Settings;
using Prism.Testing;
using Prism.Testing.Servers;
using static Microsoft.Playwright.Assertions;

namespace Prism.WebConsole.Tests;

/// <summary>Configs, drain, dead letters and the developer sign-in, in Chromium, checked through admin's API.</summary>
[Collection(ConsoleStackCollection.Name)]
public class ConsoleOperationsTests(ConsoleStack stack)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Developer_CreatesEditsAndDeletesAConfig_AdminStoresEachStep()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var name = ConsoleStack.NewNamespaceName("cfg");
        await page.GotoAsync("/configs");

        await page.FillAsync("#configs-panel input[name=name]", name);
        await page.FillAsync("#configs-panel textarea[name=content]", "retries: 3\n");
        await page.ClickAsync("#configs-panel button:text('Create')");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Config {name} created.");
        var created = (await stack.Admin.GetConfigAsync(new GetConfigRequest { Name = name }, developer, DateTime.UtcNow + Wait)).Config;
        Assert.Equal("yaml", created.Format);
        Assert.Equal("retries: 3\n", created.Content.Replace("\r\n", "\n", StringComparison.Ordinal));

        await page.Locator($"tr[data-config='{name}'] a:text('Edit')").ClickAsync();
        await Expect(page.Locator("#config-edit textarea[name=content]")).ToHaveValueAsync("retries: 3\n");
        await page.FillAsync("#config-edit textarea[name=content]", "retries: 5\n");
        await page.ClickAsync("#config-edit button:text('Save')");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Config {name} updated (version {created.Version + 1}).");
        var updated = (await stack.Admin.GetConfigAsync(new GetConfigRequest { Name = name }, developer, DateTime.UtcNow + Wait)).Config;
        Assert.Equal("retries: 5\n", updated.Content.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(ConsoleStack.Developer, updated.UpdatedBy);

        await page.GotoAsync("/configs");
        await page.Locator($"tr[data-config='{name}'] button:text('Delete')").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Config {name} deleted.");
        var lookup = await Assert.ThrowsAsync<RpcException>(async () =>
            await stack.Admin.GetConfigAsync(new GetConfigRequest { Name = name }, developer, DateTime.UtcNow + Wait));
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task ConfigWhoseContentIsNotItsFormat_ShowsAdminsRefusal_AndKeepsTheText()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        await page.GotoAsync("/configs");
        var name = ConsoleStack.NewNamespaceName("badcfg");

        await page.FillAsync("#configs-panel input[name=name]", name);
        await page.SelectOptionAsync("#configs-panel select[name=format]", "json");
        await page.FillAsync("#configs-panel textarea[name=content]", "{not json");
        await page.ClickAsync("#configs-panel button:text('Create')");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The request was not valid.");
        await Expect(page.Locator("#configs-panel textarea[name=content]")).ToHaveValueAsync("{not json");
        var lookup = await Assert.ThrowsAsync<RpcException>(async () => await stack.Admin.GetConfigAsync(new GetConfigRequest { Name = name },
            await stack.BearerAsync(ConsoleStack.Developer), DateTime.UtcNow + Wait));
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Drain_StartedAndEndedThroughThePage_IsWhatAdminReports()
    {
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        await page.GotoAsync("/drain");
        await Expect(page.Locator("[data-draining]")).ToHaveAttributeAsync("data-draining", "off");

        try
        {
            await page.FillAsync("input[name=timeout_seconds]", "120");
            await page.FillAsync("input[name=message]", "console drain test");
            await page.ClickAsync("#drain-panel button:text('Drain')");
            await Expect(page.Locator("[data-draining]")).ToHaveAttributeAsync("data-draining", "on");
            var draining = await Metric(developer, "prism_draining");
            Assert.Equal(1, draining);
            var audit = (await stack.AuditAsync("DrainConnections", "")).Last();
            Assert.Equal(ConsoleStack.Developer, audit.Actor);
            Assert.Equal("OK", audit.StatusCode);
        }
        finally
        {
            await page.ClickAsync("#drain-panel button:text('End the drain')");
        }

        await Expect(page.Locator("[data-draining]")).ToHaveAttributeAsync("data-draining", "off");
        Assert.Equal(0, await Metric(developer, "prism_draining"));
    }

    [Fact]
    public async Task DeadLetters_ListedInspectedReplayedAndPurged_ThroughThePage()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var home = new TempDirectory("console-dlq");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["backends:redis:url"] = redis.Configuration }).Build();
        await using var producer = new BackendDrivers(new BackendCatalog(configuration, new PrismHome(home.Path)), [], TimeProvider.System, NullLoggerFactory.Instance);
        var developer = await stack.BearerAsync(ConsoleStack.Developer);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var backend = "dlq-redis-" + suffix;
        var ns = "dlq-" + suffix;
        var instance = new Backend { Name = backend, Type = "redis" };
        instance.Secrets["url"] = "redis://" + redis.Configuration;
        await stack.Admin.CreateBackendAsync(new CreateBackendRequest { Backend = instance }, developer, DateTime.UtcNow + Wait);
        var bound = new Namespace { Name = ns };
        bound.Slots["queue"] = new PatternSlots { Bindings = { ["message_source"] = backend } };
        await stack.Admin.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = bound }, developer, DateTime.UtcNow + Wait);
        await MakeDeadLettersAsync(producer.Queue("redis")!, ns, "orders", ["hello", "second"]);
        var page = await stack.SignedInPageAsync(ConsoleStack.Developer);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.GotoAsync("/queues");
        await page.FillAsync("#queues-panel input[name=namespace]", ns);
        await page.FillAsync("#queues-panel input[name=queue]", "orders");
        await page.ClickAsync("#queues-panel button:text('Show dead letters')");
        var rows = page.Locator("#queues-panel tr[data-dead-letter]");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("rejected by the test");
        var first = await rows.Nth(0).GetAttributeAsync("data-dead-letter");

        await rows.Nth(0).Locator("a").ClickAsync();
        await Expect(page.Locator("[data-payload]")).ToHaveTextAsync("hello");
        await page.ClickAsync("#dead-letter button:text('Replay')");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Replayed dead letter {first} on queue orders as message");
        await Expect(rows).ToHaveCountAsync(1);
        var gone = await Assert.ThrowsAsync<RpcException>(async () => await stack.Admin.GetDeadLetterAsync(
            new GetDeadLetterRequest { Namespace = ns, Queue = "orders", Id = first }, developer, DateTime.UtcNow + Wait));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);

        await page.ClickAsync("#queues-panel button:text('Purge every dead letter')");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Purged 1 dead letter(s) of queue orders.");
        var left = await stack.Admin.ListDeadLettersAsync(new ListDeadLettersRequest { Namespace = ns, Queue = "orders" }, developer, DateTime.UtcNow + Wait);
        Assert.Empty(left.DeadLetters);
        Assert.Equal(ConsoleStack.Developer, Assert.Single(await stack.AuditAsync("PurgeDeadLetters", ns)).Actor);
    }

    [Fact]
    public async Task DevPosture_LoginPageOffersOneClickDeveloperSignIn_WhichLandsInTheConsole()
    {
        var page = await stack.NewPageAsync();
        await page.GotoAsync("/namespaces");
        await page.WaitForURLAsync(url => url.StartsWith(stack.Issuer + "/auth", StringComparison.Ordinal));

        await page.ClickAsync($"button:text('Sign in as {ConsoleStack.Developer}')");

        await page.WaitForURLAsync(stack.ConsoleUrl + "/namespaces");
        await Expect(page.GetByTestId("user")).ToHaveTextAsync(ConsoleStack.Developer);
    }

    private async Task<double> Metric(Metadata bearer, string name) =>
        (await stack.Admin.GetMetricsAsync(new GetMetricsRequest(), bearer, DateTime.UtcNow + Wait)).Metrics.Single(m => m.Name == name).Value;

    /// <summary>Enqueues each payload; a member of group "workers" without retries rejects every one, as a proxy's consumer would.</summary>
    private static async Task MakeDeadLettersAsync(IQueue queue, string ns, string name, string[] payloads)
    {
        var context = new MessageContext(PublisherSubject: "console-test", Namespace: ns);
        foreach (var payload in payloads)
        {
            await queue.EnqueueAsync(ns, name, Encoding.UTF8.GetBytes(payload), new Dictionary<string, string>(), context, null, default).WaitAsync(Wait);
        }

        await using (var member = await queue.ConsumeAsync(ns, name, "workers", "w1", ConsumeOptions.Default with { MaxRetries = 0 }, default).WaitAsync(Wait))
        {
            using var cancel = new CancellationTokenSource(Wait);
            var seen = 0;
            await foreach (var message in member.ReadAllAsync(cancel.Token))
            {
                Assert.True(await member.NackAsync(message.MessageId, TimeSpan.Zero, "rejected by the test", default).WaitAsync(Wait));
                if (++seen == payloads.Length)
                {
                    break;
                }
            }
        }

        var deadline = DateTime.UtcNow + Wait;
        while ((await queue.ListDeadLettersAsync(ns, name, null, 100, default).WaitAsync(Wait)).Count < payloads.Length)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{payloads.Length} dead letters on {name}");
            await Task.Delay(50);
        }
    }
}
