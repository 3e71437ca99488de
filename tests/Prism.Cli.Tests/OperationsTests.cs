using System.Text.Json.Nodes;

namespace Prism.Cli.Tests;

/// <summary>session, backend, maintenance, drain, metrics, audit and health against the real servers.</summary>
[Collection(PrismServersCollection.Name)]
public sealed class OperationsTests(PrismServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sessions_ListIsATable_AndUnknownIdsAreNotFound()
    {
        using var cli = new Prismctl(servers);

        var list = await cli.RunAsync("session", "list", "--all");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"(?m)^ID\s+IDENTITY\s+NAMESPACE\s+STATE", list.StandardOutput);
        var json = JsonNode.Parse((await cli.RunAsync("session", "list", "-o", "json")).StandardOutput)!;
        Assert.NotNull(json["sessions"]);

        Assert.Equal(ExitCodes.NotFound, (await cli.RunAsync("session", "get", "no-such-session")).ExitCode);
        var terminate = await cli.RunAsync("session", "terminate", "no-such-session", "--reason", "test");
        Assert.True(terminate.ExitCode == ExitCodes.NotFound, terminate.ToString());
    }

    [Fact]
    public async Task SessionTerminate_AllOfIdentity_ReportsTheCount_AndNeedsExactlyOneTarget()
    {
        using var cli = new Prismctl(servers);

        var all = await cli.RunAsync("session", "terminate", "--all-of-identity", "nobody-" + Guid.NewGuid().ToString("N")[..6] + "@example.com", "--reason", "test");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains("Terminated 0 active session(s) of nobody-", all.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("tokens issued until now are refused", all.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("session", "terminate")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("session", "terminate", "some-id", "--all-of-identity", "x@example.com")).ExitCode);
    }

    [Fact]
    public async Task Backends_AreListed_AndMemstoreIsHealthy()
    {
        using var cli = new Prismctl(servers);

        var list = await cli.RunAsync("backend", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"(?m)^NAME\s+TYPE\s+SOURCE\s+ENDPOINT\s+CAPABILITIES\s+HEALTH$", list.StandardOutput);
        Assert.Matches(@"(?m)^memstore\s+memstore\s+(config\s+)?\S+\s+\S*keyvalue\.basic\S*\s+healthy$", list.StandardOutput);

        var status = await cli.RunAsync("backend", "status", "memstore", "-o", "json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var only = Assert.Single(JsonNode.Parse(status.StandardOutput)!["statuses"]!.AsArray());
        Assert.Equal("memstore", (string?)only!["backend"]!["name"]);
        Assert.Equal("BACKEND_HEALTH_HEALTHY", (string?)only["health"]);
    }

    [Fact]
    public async Task Maintenance_OnStatusOff()
    {
        using var cli = new Prismctl(servers);

        var on = await cli.RunAsync("maintenance", "on", "--message", "upgrading storage");
        Assert.True(on.ExitCode == 0, on.ToString());
        Assert.Contains("Maintenance mode is on.", on.StandardOutput, StringComparison.Ordinal);

        var status = await cli.RunAsync("maintenance", "status");
        Assert.Matches(@"(?m)^enabled\s+yes$", status.StandardOutput);
        Assert.Matches(@"(?m)^message\s+upgrading storage$", status.StandardOutput);

        var off = JsonNode.Parse((await cli.RunAsync("maintenance", "off", "-o", "json")).StandardOutput)!;
        Assert.Equal(false, (bool?)off["enabled"]);
        Assert.Equal("dev@local.prism", (string?)off["set_by"]);
    }

    [Fact]
    public async Task Drain_StartsAndCancels()
    {
        using var cli = new Prismctl(servers);

        var drain = JsonNode.Parse((await cli.RunAsync("drain", "--timeout", "2m", "-o", "json")).StandardOutput)!;
        Assert.Equal(true, (bool?)drain["draining"]);
        var deadline = DateTimeOffset.Parse((string)drain["deadline"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(deadline - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(130));

        var cancel = await cli.RunAsync("drain", "--cancel");
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains("Not draining", cancel.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("drain", "--timeout", "soon")).ExitCode);
    }

    [Fact]
    public async Task Metrics_AreATable_AndJson()
    {
        using var cli = new Prismctl(servers);

        var table = await cli.RunAsync("metrics");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"(?m)^prism_admin_namespaces\s+\d+$", table.StandardOutput);
        var json = JsonNode.Parse((await cli.RunAsync("metrics", "-o", "json")).StandardOutput)!;
        Assert.Contains(json["metrics"]!.AsArray(), m => (string?)m!["name"] == "prism_admin_namespaces");
    }

    [Fact]
    public async Task Audit_FiltersByOperationAndTime_AndFollowsNewEntries()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("namespace", "create", "audited")).ExitCode);

        var entries = JsonNode.Parse((await cli.RunAsync("audit", "--operation", "CreateNamespace", "--since", "15m", "--limit", "50", "-o", "json")).StandardOutput)!["entries"]!.AsArray();
        Assert.Contains(entries, e => (string?)e!["resource_id"] == "audited" && (string?)e["status_code"] == "OK");
        Assert.All(entries, e => Assert.Equal("CreateNamespace", (string?)e!["operation"]));

        var table = await cli.RunAsync("audit", "--actor", "dev@local.prism", "--namespace", "audited");
        Assert.Matches(@"(?m)^\S+Z\s+dev@local\.prism\s+127\.0\.0\.1\s+CreateNamespace\s+namespace/audited\s+OK\s+\S+$", table.StandardOutput);

        using var follow = LiveProcess.Start(cli.Environment, "audit", "--follow", "--operation", "GetMaintenanceMode", "--since", "1s", "-o", "json");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var status = await cli.RunAsync("maintenance", "status");
        Assert.Equal(0, status.ExitCode);
        var line = await follow.StdoutLineAsync(l => l.Contains("GetMaintenanceMode", StringComparison.Ordinal), Timeout);
        Assert.Equal("dev@local.prism", (string?)JsonNode.Parse(line)!["actor"]);
    }

    [Fact]
    public async Task Viewer_CannotReadTheAuditLog()
    {
        using var cli = new Prismctl(servers, localDev: false);
        await cli.LoginAsync("test@local.prism");

        var result = await cli.RunAsync("audit");

        Assert.True(result.ExitCode == ExitCodes.PermissionDenied, result.ToString());
        Assert.Contains("admin:audit", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ChecksEveryKnownEndpoint()
    {
        using var cli = new Prismctl(servers, localDev: false);

        var healthy = await cli.RunAsync("health");
        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.Matches(@"(?m)^✅ identity\s+" + System.Text.RegularExpressions.Regex.Escape(servers.Issuer), healthy.StandardOutput);
        Assert.Matches(@"(?m)^✅ admin\s+", healthy.StandardOutput);
        Assert.False(File.Exists(cli.TokenPath), "health needs no login");

        var closed = $"http://127.0.0.1:{Prism.Testing.FreePort.Next()}";
        var down = await cli.RunAsync("health", "--proxy-endpoint", closed, "-o", "json");
        Assert.True(down.ExitCode == ExitCodes.Unavailable, down.ToString());
        var checks = JsonNode.Parse(down.StandardOutput)!["checks"]!.AsArray();
        Assert.Equal(["identity", "admin", "proxy"], checks.Select(c => (string?)c!["name"]));
        Assert.Equal([true, true, false], checks.Select(c => (bool)c!["healthy"]!));

        var table = await cli.RunAsync("health", "--proxy-endpoint", closed);
        Assert.Matches(@"(?m)^❌ proxy\s+", table.StandardOutput);
    }
}
