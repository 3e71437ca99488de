using System.Text.Json.Nodes;

namespace Prism.Cli.Tests;

/// <summary>namespace and config commands against the real admin server: tables, json, yaml and the error codes.</summary>
[Collection(PrismServersCollection.Name)]
public sealed class NamespaceAndConfigTests(PrismServers servers)
{
    [Fact]
    public async Task Namespace_Lifecycle_WithTablesJsonAndErrorCodes()
    {
        using var cli = new Prismctl(servers);

        var created = await cli.RunAsync("namespace", "create", "orders", "--description", "Orders", "--pattern", "keyvalue", "--pattern", "pubsub",
            "--backend", "keyvalue=sqlite", "--access-group", "team-orders", "--label", "team=orders", "--max-value-bytes", "1000");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("Created namespace orders (version 1).", created.StandardOutput, StringComparison.Ordinal);

        var table = await cli.RunAsync("namespace", "list");
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"(?m)^NAME\s+PATTERNS\s+BACKENDS\s+ACCESS GROUPS\s+VERSION\s+UPDATED$", table.StandardOutput);
        Assert.Matches(@"(?m)^orders\s+keyvalue,pubsub\s+keyvalue=sqlite\s+team-orders\s+1\s+\S+Z$", table.StandardOutput);

        var json = JsonNode.Parse((await cli.RunAsync("ns", "get", "orders", "-o", "json")).StandardOutput)!;
        Assert.Equal("orders", (string?)json["name"]);
        Assert.Equal("sqlite", (string?)json["backends"]!["keyvalue"]);
        Assert.Equal(["team-orders"], json["access_groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal("1000", (string?)json["quotas"]!["max_value_bytes"]);
        Assert.Null(json["quotas"]!["max_keys"]);
        Assert.Equal("dev@local.prism", (string?)json["created_by"]);

        var updated = await cli.RunAsync("namespace", "update", "orders", "--description", "All orders", "-o", "json");
        Assert.True(updated.ExitCode == 0, updated.ToString());
        var after = JsonNode.Parse(updated.StandardOutput)!;
        Assert.Equal("2", (string?)after["version"]);
        Assert.Equal("All orders", (string?)after["description"]);
        Assert.Equal("sqlite", (string?)after["backends"]!["keyvalue"]);

        var stale = await cli.RunAsync("namespace", "update", "orders", "--description", "x", "--version", "1");
        Assert.True(stale.ExitCode == ExitCodes.Conflict, stale.ToString());
        Assert.StartsWith("prismctl: conflict: ", stale.StandardError, StringComparison.Ordinal);

        var duplicate = await cli.RunAsync("namespace", "create", "orders");
        Assert.True(duplicate.ExitCode == ExitCodes.Conflict, duplicate.ToString());
        Assert.StartsWith("prismctl: already exists: ", duplicate.StandardError, StringComparison.Ordinal);

        var invalid = await cli.RunAsync("namespace", "create", "Not_A_Label");
        Assert.True(invalid.ExitCode == ExitCodes.Usage, invalid.ToString());
        Assert.StartsWith("prismctl: invalid argument: ", invalid.StandardError, StringComparison.Ordinal);

        var deleted = await cli.RunAsync("namespace", "delete", "orders", "-o", "json");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal(true, (bool?)JsonNode.Parse(deleted.StandardOutput)!["deleted"]);

        var missing = await cli.RunAsync("namespace", "get", "orders");
        Assert.True(missing.ExitCode == ExitCodes.NotFound, missing.ToString());
        Assert.Equal("prismctl: not found: namespace 'orders' not found", missing.StandardError.TrimEnd());
        Assert.Equal(ExitCodes.NotFound, (await cli.RunAsync("namespace", "delete", "orders")).ExitCode);
    }

    [Fact]
    public async Task NamespaceList_AsYaml_IsAManifestStream_WithTheProtoFieldNames()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("namespace", "create", "yaml-listed", "--pattern", "keyvalue", "--access-group", "team-a", "--max-rps", "7")).ExitCode);

        var yaml = await cli.RunAsync("namespace", "list", "--output", "yaml");

        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.StartsWith("---\n", yaml.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("kind: Namespace\nname: yaml-listed\n", yaml.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("access_groups:\n- team-a\n", yaml.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("quotas:\n  max_requests_per_second: 7\n", yaml.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^# created \S+Z by dev@local\.prism; updated \S+Z by dev@local\.prism$", yaml.StandardOutput);
        Assert.DoesNotContain("created_by", yaml.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_Lifecycle_FromFileAndStdin()
    {
        using var cli = new Prismctl(servers);
        var file = Path.Combine(cli.Home, "limits.json");
        File.WriteAllText(file, """{"max": 10}""");

        var fromFile = await cli.RunAsync("config", "create", "limits", "--file", file, "--label", "env=dev");
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        var fromStdin = await cli.RunWithInputAsync("retries: 3\n", "config", "create", "client-defaults", "--description", "Client defaults");
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());

        var list = await cli.RunAsync("config", "list");
        Assert.Matches(@"(?m)^limits\s+json\s+env=dev\s+1\s+\S+Z$", list.StandardOutput);
        Assert.Matches(@"(?m)^client-defaults\s+yaml\s+Client defaults\s+1\s+\S+Z$", list.StandardOutput);

        var get = await cli.RunAsync("config", "get", "client-defaults");
        Assert.Equal(0, get.ExitCode);
        Assert.Matches(@"(?m)^format\s+yaml$", get.StandardOutput);
        Assert.EndsWith("retries: 3\n", get.StandardOutput, StringComparison.Ordinal);

        var update = await cli.RunWithInputAsync("retries: 5\n", "config", "update", "client-defaults", "-o", "json");
        Assert.True(update.ExitCode == 0, update.ToString());
        var updated = JsonNode.Parse(update.StandardOutput)!;
        Assert.Equal("retries: 5\n", (string?)updated["content"]);
        Assert.Equal("2", (string?)updated["version"]);
        Assert.Equal("Client defaults", (string?)updated["description"]);

        var badJson = await cli.RunWithInputAsync("{not json", "config", "create", "broken", "--format", "json");
        Assert.True(badJson.ExitCode == ExitCodes.Usage, badJson.ToString());

        var noContent = await cli.RunAsync("config", "create", "empty");
        Assert.True(noContent.ExitCode == ExitCodes.Usage, noContent.ToString());
        Assert.Contains("--file or on stdin", noContent.StandardError, StringComparison.Ordinal);

        Assert.Equal(0, (await cli.RunAsync("config", "delete", "limits")).ExitCode);
        Assert.Equal(ExitCodes.NotFound, (await cli.RunAsync("config", "get", "limits")).ExitCode);
        Assert.Equal(ExitCodes.Conflict, (await cli.RunWithInputAsync("a: 1\n", "config", "create", "client-defaults")).ExitCode);
    }
}
