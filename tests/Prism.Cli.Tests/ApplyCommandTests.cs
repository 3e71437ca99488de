using System.Text.Json.Nodes;

namespace Prism.Cli.Tests;

/// <summary>
/// <c>prismctl apply -f</c> against the real admin server: backends and namespaces created in one request,
/// <c>unchanged</c> on a second apply, <c>get -o yaml | apply</c> round trips, all-or-nothing on a server error.
/// Needs the wave-2 server (Apply, backend instances, slots).
/// </summary>
[Collection(PrismServersCollection.Name)]
public sealed class ApplyCommandTests(PrismServers servers)
{
    private static string Manifest(string home) => $"""
        kind: Backend
        name: apply-files
        type: sqlite
        description: Files next to the test
        settings:
          path: {Path.Combine(home, "apply-files.db")}
        labels: {"{"}team: data{"}"}
        ---
        kind: Backend
        name: apply-mem
        type: memstore
        ---
        kind: Namespace
        name: apply-orders
        description: Orders service
        patterns:
          keyvalue:
            store: apply-files
          pubsub:
            source: apply-mem
        access_groups: [team-orders]
        quotas:
          max_value_bytes: 1048576
          max_requests_per_second: 500
        labels: {"{"}owner: ana{"}"}
        ---
        kind: Namespace
        name: apply-plain
        patterns:
          keyvalue: {"{}"}
        """;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Apply_CreatesBackendsAndNamespaces_AndTheSameFileAgainIsUnchanged()
    {
        using var cli = new Prismctl(servers);
        var file = Path.Combine(cli.Home, "platform.yaml");
        File.WriteAllText(file, Manifest(cli.Home));

        var first = await cli.RunAsync("apply", "-f", file);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["backend/apply-files created", "backend/apply-mem created", "namespace/apply-orders created", "namespace/apply-plain created"], Lines(first.StandardOutput));

        var again = await cli.RunAsync("namespace", "apply", "-f", file);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["backend/apply-files unchanged", "backend/apply-mem unchanged", "namespace/apply-orders unchanged", "namespace/apply-plain unchanged"], Lines(again.StandardOutput));

        var ns = JsonNode.Parse((await cli.RunAsync("namespace", "get", "apply-orders", "-o", "json")).StandardOutput)!;
        Assert.Equal("apply-files", (string?)ns["slots"]!["keyvalue"]!["bindings"]!["store"]);
        Assert.Equal("apply-mem", (string?)ns["slots"]!["pubsub"]!["bindings"]!["source"]);
        Assert.Equal(500, (int?)ns["quotas"]!["max_requests_per_second"]);
        Assert.Equal("1", (string?)ns["version"]);
    }

    [Fact]
    public async Task DryRun_ReportsTheChange_AndStoresNothing_AndJsonHasTheResults()
    {
        using var cli = new Prismctl(servers);
        var file = Path.Combine(cli.Home, "dry.yaml");
        File.WriteAllText(file, "kind: Namespace\nname: apply-dry\ndescription: one\npatterns: {keyvalue: {}}\n");
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", file)).ExitCode);
        File.WriteAllText(file, "kind: Namespace\nname: apply-dry\ndescription: two\npatterns: {keyvalue: {}}\n");

        var dry = await cli.RunAsync("apply", "-f", file, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal("namespace/apply-dry configured (dry run)", dry.StandardOutput.TrimEnd());
        var stored = JsonNode.Parse((await cli.RunAsync("namespace", "get", "apply-dry", "-o", "json")).StandardOutput)!;
        Assert.Equal("one", (string?)stored["description"]);

        var json = await cli.RunAsync("apply", "-f", file, "-o", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var result = Assert.Single(JsonNode.Parse(json.StandardOutput)!["results"]!.AsArray())!;
        Assert.Equal("namespace", (string?)result["kind"]);
        Assert.Equal("apply-dry", (string?)result["name"]);
        Assert.Equal("configured", (string?)result["action"]);
        Assert.Equal("2", (string?)result["version"]);
    }

    [Fact]
    public async Task NamespaceGetYaml_AppliedUnchanged_IsUnchanged_AlsoFromStdin()
    {
        using var cli = new Prismctl(servers);
        var created = await cli.RunAsync("namespace", "create", "apply-roundtrip", "--description", "Round: \"trip\"", "--slot", "keyvalue.store=memstore",
            "--pattern", "pubsub", "--access-group", "team-x", "--label", "owner=ana", "--label", "on-call=yes", "--max-rps", "50");
        Assert.True(created.ExitCode == 0, created.ToString());

        var yaml = await cli.RunAsync("namespace", "get", "apply-roundtrip", "-o", "yaml");
        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.Contains("kind: Namespace\nname: apply-roundtrip\n", yaml.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("version: 1\n", yaml.StandardOutput, StringComparison.Ordinal);

        var applied = await cli.RunWithInputAsync(yaml.StandardOutput, "apply", "-f", "-");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal("namespace/apply-roundtrip unchanged", applied.StandardOutput.TrimEnd());
    }

    [Fact]
    public async Task ListYaml_OfNamespacesAndOfBackends_AppliesUnchanged()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("backend", "create", "apply-listed", "--type", "memstore", "--label", "a=b")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("namespace", "create", "apply-listed", "--slot", "keyvalue.store=apply-listed")).ExitCode);

        foreach (var noun in new[] { "namespace", "backend" })
        {
            var list = await cli.RunAsync(noun, "list", "-o", "yaml");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.StartsWith("---\n", list.StandardOutput, StringComparison.Ordinal);

            var applied = await cli.RunWithInputAsync(list.StandardOutput, "apply", "-f", "-");
            Assert.True(applied.ExitCode == 0, applied.ToString());
            Assert.Contains($"{noun}/apply-listed unchanged", Lines(applied.StandardOutput));
            Assert.All(Lines(applied.StandardOutput), line => Assert.EndsWith(" unchanged", line, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task BackendGetYaml_HasNoSecrets_AndAppliesUnchanged()
    {
        using var cli = new Prismctl(servers);
        var path = Path.Combine(cli.Home, "secretless.db");
        Assert.Equal(0, (await cli.RunAsync("backend", "create", "apply-sqlite", "--type", "sqlite", "--setting", $"path={path}", "--description", "kv")).ExitCode);

        var yaml = await cli.RunAsync("backend", "get", "apply-sqlite", "-o", "yaml");
        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.Contains($"kind: Backend\nname: apply-sqlite\ntype: sqlite\ndescription: kv\nsettings:\n  path: {path}\n", yaml.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("\nsecrets:", yaml.StandardOutput, StringComparison.Ordinal);

        var applied = await cli.RunWithInputAsync(yaml.StandardOutput, "apply", "-f", "-");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal("backend/apply-sqlite unchanged", applied.StandardOutput.TrimEnd());
    }

    [Fact]
    public async Task ServerRefusal_NamesTheDocument_AndNothingOfTheFileIsApplied()
    {
        using var cli = new Prismctl(servers);
        var file = Path.Combine(cli.Home, "refused.yaml");
        File.WriteAllText(file, "kind: Backend\nname: apply-never\ntype: memstore\n---\nkind: Namespace\nname: apply-refused\npatterns:\n  keyvalue:\n    store: no-such-instance\n");

        var result = await cli.RunAsync("apply", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        var line = Assert.Single(Lines(result.StandardError), l => l.StartsWith("prismctl:", StringComparison.Ordinal));
        Assert.StartsWith($"prismctl: invalid argument: {file} document 2: namespace 'apply-refused': ", line, StringComparison.Ordinal);
        Assert.Contains("no-such-instance", line, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, (await cli.RunAsync("backend", "get", "apply-never")).ExitCode);
        Assert.Equal(ExitCodes.NotFound, (await cli.RunAsync("namespace", "get", "apply-refused")).ExitCode);
    }

    [Fact]
    public async Task StaleVersion_InAFile_IsAConflict()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("namespace", "create", "apply-versioned", "--pattern", "keyvalue")).ExitCode);
        var file = Path.Combine(cli.Home, "stale.yaml");
        File.WriteAllText(file, "kind: Namespace\nname: apply-versioned\npatterns: {keyvalue: {}}\ndescription: new\nversion: 9\n");

        var result = await cli.RunAsync("apply", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Conflict, result.ToString());
        Assert.StartsWith($"prismctl: conflict: {file} document 1: namespace 'apply-versioned': ", result.StandardError, StringComparison.Ordinal);
    }
}
