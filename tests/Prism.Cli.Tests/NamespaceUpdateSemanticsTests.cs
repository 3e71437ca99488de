using System.Text.Json.Nodes;

namespace Prism.Cli.Tests;

/// <summary>
/// <c>namespace update</c> changes only what its options name: labels, patterns, slots and access groups are
/// added or removed one at a time. Needs the wave-2 server (slots).
/// </summary>
[Collection(PrismServersCollection.Name)]
public sealed class NamespaceUpdateSemanticsTests(PrismServers servers)
{
    private static async Task<JsonNode> GetAsync(Prismctl cli, string name)
    {
        var result = await cli.RunAsync("namespace", "get", name, "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.StandardOutput)!;
    }

    private static async Task UpdateAsync(Prismctl cli, params string[] arguments)
    {
        var result = await cli.RunAsync(["namespace", "update", .. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static async Task CreateAsync(Prismctl cli, string name)
    {
        var result = await cli.RunAsync("namespace", "create", name, "--slot", "keyvalue.store=memstore", "--pattern", "pubsub",
            "--access-group", "team-a", "--label", "owner=ana", "--label", "tier=1", "--max-value-bytes", "4096");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static Dictionary<string, string?> Map(JsonNode? node) => node!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value);

    [Fact]
    public async Task UpdateLabel_KeepsTheOtherLabels_AndEverythingElse()
    {
        using var cli = new Prismctl(servers);
        await CreateAsync(cli, "upd-labels");

        await UpdateAsync(cli, "upd-labels", "--label", "owner=bo", "--label", "team=x");
        var ns = await GetAsync(cli, "upd-labels");
        Assert.Equal(new Dictionary<string, string?> { ["owner"] = "bo", ["tier"] = "1", ["team"] = "x" }, Map(ns["labels"]));
        Assert.Equal(["keyvalue", "pubsub"], ns["patterns"]!.AsArray().Select(p => (string?)p).Order());
        Assert.Equal("memstore", (string?)ns["slots"]!["keyvalue"]!["bindings"]!["store"]);
        Assert.Equal("4096", (string?)ns["quotas"]!["max_value_bytes"]);
        Assert.Equal(["team-a"], ns["access_groups"]!.AsArray().Select(g => (string?)g));

        await UpdateAsync(cli, "upd-labels", "--remove-label", "tier");
        Assert.Equal(new Dictionary<string, string?> { ["owner"] = "bo", ["team"] = "x" }, Map((await GetAsync(cli, "upd-labels"))["labels"]));
    }

    [Fact]
    public async Task RemovePattern_RemovesItAndItsSlots_AndAddingAPatternKeepsTheBindings()
    {
        using var cli = new Prismctl(servers);
        await CreateAsync(cli, "upd-patterns");

        await UpdateAsync(cli, "upd-patterns", "--remove-pattern", "keyvalue");
        var removed = await GetAsync(cli, "upd-patterns");
        Assert.Equal(["pubsub"], removed["patterns"]!.AsArray().Select(p => (string?)p));
        Assert.Null(removed["slots"]!["keyvalue"]);

        await UpdateAsync(cli, "upd-patterns", "--slot", "keyvalue.store=memstore");
        await UpdateAsync(cli, "upd-patterns", "--pattern", "pubsub", "--access-group", "team-b");
        var added = await GetAsync(cli, "upd-patterns");
        Assert.Equal(["keyvalue", "pubsub"], added["patterns"]!.AsArray().Select(p => (string?)p).Order());
        Assert.Equal("memstore", (string?)added["slots"]!["keyvalue"]!["bindings"]!["store"]);
        Assert.Equal(["team-a", "team-b"], added["access_groups"]!.AsArray().Select(g => (string?)g));
    }

    [Fact]
    public async Task RemoveSlot_UnbindsOnlyThatSlot()
    {
        using var cli = new Prismctl(servers);
        await CreateAsync(cli, "upd-slots");
        await UpdateAsync(cli, "upd-slots", "--slot", "pubsub.source=memstore");

        await UpdateAsync(cli, "upd-slots", "--remove-slot", "keyvalue.store");
        var ns = await GetAsync(cli, "upd-slots");
        Assert.Equal(["keyvalue", "pubsub"], ns["patterns"]!.AsArray().Select(p => (string?)p).Order());
        Assert.Equal("memstore", (string?)ns["slots"]!["pubsub"]!["bindings"]!["source"]);
        Assert.Null(ns["slots"]!["keyvalue"]?["bindings"]?["store"]);
    }

    [Fact]
    public async Task UnknownInstance_InASlot_IsRefusedByTheServer()
    {
        using var cli = new Prismctl(servers);
        await CreateAsync(cli, "upd-unknown");

        var result = await cli.RunAsync("namespace", "update", "upd-unknown", "--slot", "keyvalue.store=no-such-instance");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.StartsWith("prismctl: invalid argument: ", result.StandardError, StringComparison.Ordinal);
    }
}
