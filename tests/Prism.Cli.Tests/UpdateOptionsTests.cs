using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Prism.Admin.V1;
using Prism.Cli.Commands;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>
/// The add/remove semantics of <c>namespace update</c> options on a namespace as read (in process, no
/// server), and <c>apply</c> with a bad file sending nothing at all (a real prismctl process).
/// </summary>
public sealed class UpdateOptionsTests
{
    private static Namespace Stored()
    {
        var ns = new Namespace { Name = "orders", Description = "Orders", Version = 4, Quotas = new Quotas { MaxValueBytes = 100, MaxRequestsPerSecond = 5 } };
        ns.Patterns.Add(["keyvalue", "pubsub"]);
        ns.Slots["keyvalue"] = new PatternSlots { Bindings = { ["store"] = "redis-cache" } };
        ns.Slots["pubsub"] = new PatternSlots { Bindings = { ["source"] = "nats" } };
        ns.Backends["keyvalue"] = "redis-cache";
        ns.Backends["pubsub"] = "nats";
        ns.AccessGroups.Add(["team-a", "team-b"]);
        ns.Labels["owner"] = "ana";
        ns.Labels["tier"] = "1";
        return ns;
    }

    private static Namespace Update(Namespace ns, params string[] arguments)
    {
        var options = new NamespaceOptions();
        var command = new Command("update");
        options.AddTo(command, update: true);
        var parse = command.Parse(arguments);
        Assert.Empty(parse.Errors);
        options.Apply(parse, ns);
        return ns;
    }

    [Fact]
    public void Label_AddsOrReplacesOne_AndKeepsTheOthers()
    {
        var ns = Update(Stored(), "--label", "owner=bo", "--label", "team=x", "--remove-label", "tier", "--remove-label", "absent");

        Assert.Equal(new Dictionary<string, string> { ["owner"] = "bo", ["team"] = "x" }, ns.Labels);
        Assert.Equal(Stored().Slots, ns.Slots);
        Assert.Equal(4, ns.Version);
    }

    [Fact]
    public void Pattern_IsAdded_AndOthersKeepTheirSlots()
    {
        var ns = Update(Stored(), "--pattern", "queue", "--pattern", "keyvalue");

        Assert.Equal(["keyvalue", "pubsub", "queue"], ns.Patterns);
        Assert.Equal(Stored().Slots, ns.Slots);
        Assert.Empty(ns.Backends);
    }

    [Fact]
    public void RemovePattern_RemovesItsSlots_Only()
    {
        var ns = Update(Stored(), "--remove-pattern", "pubsub");

        Assert.Equal(["keyvalue"], ns.Patterns);
        Assert.Equal(["keyvalue"], ns.Slots.Keys);
        Assert.Empty(ns.Backends);
    }

    [Fact]
    public void Slot_BindsOne_AddingThePattern_AndRemoveSlotUnbindsOne()
    {
        var ns = Update(Stored(), "--slot", "queue.message_source=nats", "--slot", "keyvalue.store=redis-sessions", "--remove-slot", "pubsub.source");

        Assert.Equal(["keyvalue", "pubsub", "queue"], ns.Patterns);
        Assert.Equal("redis-sessions", ns.Slots["keyvalue"].Bindings["store"]);
        Assert.Equal("nats", ns.Slots["queue"].Bindings["message_source"]);
        Assert.False(ns.Slots.ContainsKey("pubsub"));
    }

    [Fact]
    public void AccessGroups_AndQuotas_ChangeOnlyWhenGiven()
    {
        var ns = Update(Stored(), "--access-group", "team-c", "--access-group", "team-a", "--remove-access-group", "team-b", "--max-rps", "9");

        Assert.Equal(["team-a", "team-c"], ns.AccessGroups);
        Assert.Equal(new Quotas { MaxValueBytes = 100, MaxRequestsPerSecond = 9 }, ns.Quotas);
        Assert.Equal("Orders", ns.Description);
    }

    [Fact]
    public void OlderBackendOption_RebindsTheOnlySlot_OrFillsBackendsWithoutSlots()
    {
        var withSlots = Update(Stored(), "--backend", "keyvalue=sqlite");
        Assert.Equal("sqlite", withSlots.Slots["keyvalue"].Bindings["store"]);
        Assert.Empty(withSlots.Backends);

        var older = new Namespace { Name = "old" };
        older.Patterns.Add("keyvalue");
        older.Backends["keyvalue"] = "redis";
        var updated = Update(older, "--backend", "pubsub=nats", "--label", "a=b");
        Assert.Equal(new Dictionary<string, string> { ["keyvalue"] = "redis", ["pubsub"] = "nats" }, updated.Backends);
        Assert.Equal(["keyvalue", "pubsub"], updated.Patterns);
    }

    [Theory]
    [InlineData("--slot", "keyvalue=redis")]
    [InlineData("--slot", "keyvalue.store=")]
    [InlineData("--remove-slot", "keyvalue")]
    [InlineData("--label", "novalue")]
    public void MalformedItems_AreUsageErrors(string option, string value)
    {
        var error = Assert.Throws<CliException>(() => Update(Stored(), option, value));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_WithErrors_PrintsOneLineEach_ExitsWith2_AndSendsNothing()
    {
        using var home = new TempDirectory("prismctl-apply");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            var file = Path.Combine(home.Path, "bad.yaml");
            File.WriteAllText(file, "kind: Namespace\nname: orders\nquotas: {max_keys: 10}\n---\nkind: Backend\nname: cache\ntype: redis\nsecrets: {url: '${PRISM_TEST_UNSET_URL}'}\n");
            var environment = new Dictionary<string, string?>
            {
                ["PRISM_HOME"] = home.Path,
                ["PRISM_ADMIN_ENDPOINT"] = endpoint,
                ["PRISM_OIDC_ISSUER"] = endpoint + "/dex",
                ["PRISM_TOKEN"] = "not-used",
                ["PRISM_LOCAL_DEV"] = "false",
                ["PRISM_TEST_UNSET_URL"] = null,
            };

            var result = await CliRunner.RunAsync(Prismctl.Assembly, ["apply", "-f", file], environment, TimeSpan.FromSeconds(60), null);

            Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
            Assert.Equal(
                [
                    $"prismctl: usage error: {file}: document 1 (namespace/orders), line 3: field 'quotas.max_keys': was removed from the API (counting keys costs a backend round trip per write); accepted: max_value_bytes, max_requests_per_second",
                    $"prismctl: usage error: {file}: document 2 (backend/cache), line 8: field 'secrets.url': environment variable PRISM_TEST_UNSET_URL is not set (or is empty)",
                ],
                result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("", result.StandardOutput);
            Assert.False(listener.Pending(), "nothing may be sent when the file has errors");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task BackendCreate_SecretOptionErrors_NeverEchoTheValue()
    {
        using var home = new TempDirectory("prismctl-secret");
        var environment = new Dictionary<string, string?> { ["PRISM_HOME"] = home.Path, ["PRISM_TOKEN"] = "not-used", ["PRISM_LOCAL_DEV"] = "false" };

        var result = await CliRunner.RunAsync(Prismctl.Assembly, ["backend", "create", "cache", "--type", "redis", "--secret", "redis://u:hunter2@h:6379"], environment, TimeSpan.FromSeconds(60), null);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Equal("prismctl: usage error: --secret expects key=value (the value given is not shown)", result.StandardError.TrimEnd());
        Assert.DoesNotContain("hunter2", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }
}
