using System.Text.Json.Nodes;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>
/// <c>backend get|create|update|delete</c> and the HEALTH column of <c>backend list</c> against the real
/// admin server; secrets never printed. Needs the wave-2 server (backend instances).
/// </summary>
[Collection(PrismServersCollection.Name)]
public sealed class BackendInstanceCommandTests(PrismServers servers)
{
    [Fact]
    public async Task Backend_Lifecycle_CreateGetUpdateDelete()
    {
        using var cli = new Prismctl(servers);
        var path = Path.Combine(cli.Home, "instance.db");

        var created = await cli.RunAsync("backend", "create", "inst-files", "--type", "sqlite", "--setting", $"path={path}", "--label", "team=data", "--description", "Files");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("Created backend inst-files (version 1).", created.StandardOutput.TrimEnd());

        var table = await cli.RunAsync("backend", "get", "inst-files");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"(?m)^source\s+api$", table.StandardOutput);

        var updated = await cli.RunAsync("backend", "update", "inst-files", "--label", "tier=1", "-o", "json");
        Assert.True(updated.ExitCode == 0, updated.ToString());
        var json = JsonNode.Parse(updated.StandardOutput)!;
        Assert.Equal("2", (string?)json["version"]);
        Assert.Equal("data", (string?)json["labels"]!["team"]);
        Assert.Equal("1", (string?)json["labels"]!["tier"]);
        Assert.Equal(path, (string?)json["settings"]!["path"]);
        Assert.Equal("Files", (string?)json["description"]);

        var stale = await cli.RunAsync("backend", "update", "inst-files", "--description", "x", "--version", "1");
        Assert.True(stale.ExitCode == ExitCodes.Conflict, stale.ToString());

        var deleted = await cli.RunAsync("backend", "delete", "inst-files");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal("Deleted backend inst-files.", deleted.StandardOutput.TrimEnd());
        Assert.Equal(ExitCodes.NotFound, (await cli.RunAsync("backend", "get", "inst-files")).ExitCode);
    }

    [Fact]
    public async Task DynamicCredentials_AreCheckedAtCreation_AndBadSettingsNamed()
    {
        await using var redis = await Prism.Testing.Servers.RedisServer.StartNewAsync();
        await using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "no-acl", "on", ">no-acl-pass", "~*", "&*", "+@all", "-acl");
        }

        using var cli = new Prismctl(servers);
        var weak = await cli.RunAsync("backend", "create", "inst-weak", "--type", "redis", "--setting", "credentials=dynamic",
            "--secret", $"url=redis://no-acl:no-acl-pass@{redis.Configuration}");
        Assert.True(weak.ExitCode == ExitCodes.Conflict, weak.ToString());
        Assert.Contains("issue refused: NOPERM", weak.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("no-acl-pass", weak.StandardError, StringComparison.Ordinal);

        var badMode = await cli.RunAsync("backend", "create", "inst-bad", "--type", "redis", "--setting", "credentials=sometimes",
            "--secret", $"url={redis.Configuration}");
        Assert.True(badMode.ExitCode == ExitCodes.Usage, badMode.ToString());
        Assert.Contains("setting 'credentials' must be one of: static, dynamic", badMode.StandardError, StringComparison.Ordinal);

        var ok = await cli.RunAsync("backend", "create", "inst-dynamic", "--type", "redis", "--setting", "credentials=dynamic",
            "--setting", "lease_ttl=30m", "--secret", $"url={redis.Configuration}");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(0, (await cli.RunAsync("backend", "delete", "inst-dynamic")).ExitCode);
    }

    [Fact]
    public async Task BackendList_ShowsSourceAndHealth_JoinedByName()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("backend", "create", "inst-mem", "--type", "memstore")).ExitCode);

        var list = await cli.RunAsync("backend", "list");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"(?m)^NAME\s+TYPE\s+SOURCE\s+ENDPOINT\s+CAPABILITIES\s+HEALTH$", list.StandardOutput);
        Assert.Matches(@"(?m)^memstore\s+memstore\s+config\s+.*\shealthy$", list.StandardOutput);
        Assert.Matches(@"(?m)^inst-mem\s+memstore\s+api\s+.*\shealthy$", list.StandardOutput);
        Assert.Matches(@"(?m)^redis\s+redis\s+config\s+.*\sunhealthy$", list.StandardOutput);
        Assert.DoesNotContain("warning", list.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_AreNeverPrinted_NotInResultsNorInErrors()
    {
        using var cli = new Prismctl(servers);
        var url = $"redis://prism:hunter2@127.0.0.1:{FreePort.Next()}";
        cli.Environment["INSTANCE_REDIS_URL"] = url;

        var fromStdin = await cli.RunWithInputAsync(url + "\n", "backend", "create", "inst-redis", "--type", "redis", "--secret-stdin", "url", "--verbose");
        var fromEnvironment = await cli.RunAsync("backend", "create", "inst-redis", "--type", "redis", "--secret-from-env", "url=INSTANCE_REDIS_URL", "-o", "json", "--verbose");

        foreach (var result in new[] { fromStdin, fromEnvironment })
        {
            Assert.True(result.ExitCode == ExitCodes.Conflict, result.ToString());
            Assert.Contains("prismctl: conflict: backend 'inst-redis': connection test failed", result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        }

        Assert.Equal(ExitCodes.NotFound, (await cli.RunAsync("backend", "get", "inst-redis")).ExitCode);
    }

    [Fact]
    public async Task BackendBoundByANamespace_CannotBeDeleted()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("backend", "create", "inst-bound", "--type", "memstore")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("namespace", "create", "inst-binder", "--slot", "keyvalue.store=inst-bound")).ExitCode);

        var refused = await cli.RunAsync("backend", "delete", "inst-bound");

        Assert.True(refused.ExitCode == ExitCodes.Conflict, refused.ToString());
        Assert.Contains("inst-binder", refused.StandardError, StringComparison.Ordinal);
    }
}
