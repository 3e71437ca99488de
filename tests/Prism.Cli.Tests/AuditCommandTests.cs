using System.Text.Json.Nodes;

namespace Prism.Cli.Tests;

/// <summary><c>audit --limit</c> shows the newest entries; <c>audit export</c> archives a range as JSON lines.</summary>
[Collection(PrismServersCollection.Name)]
public sealed class AuditCommandTests(PrismServers servers)
{
    [Fact]
    public async Task AuditLimit_ShowsTheNewestEntries_OldestOfThemFirst()
    {
        using var cli = new Prismctl(servers);
        var prefix = "newest-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var suffix in new[] { "a", "b", "c", "d" })
        {
            var created = await cli.RunAsync("namespace", "create", $"{prefix}-{suffix}");
            Assert.True(created.ExitCode == 0, created.ToString());
        }

        var result = await cli.RunAsync("audit", "--operation", "CreateNamespace", "--limit", "3", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var ids = JsonNode.Parse(result.StandardOutput)!["entries"]!.AsArray().Select(e => (string?)e!["resource_id"]).ToList();
        Assert.Equal([$"{prefix}-b", $"{prefix}-c", $"{prefix}-d"], ids);
    }

    [Fact]
    public async Task AuditLimit_AboveTheMaximum_PointsToExport()
    {
        using var cli = new Prismctl(servers);

        var result = await cli.RunAsync("audit", "--limit", "5000");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("audit export", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditExport_WritesEveryEntryOfTheRange_AsJsonLines_ToAFileOrStdout()
    {
        using var cli = new Prismctl(servers);
        var name = "exported-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(0, (await cli.RunAsync("namespace", "create", name)).ExitCode);
        var file = Path.Combine(cli.Home, "audit.jsonl");

        var toFile = await cli.RunAsync("audit", "export", "--since", "15m", "--file", file);
        var toStdout = await cli.RunAsync("audit", "export", "--since", "15m");

        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        var lines = await File.ReadAllLinesAsync(file);
        var entries = lines.Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Contains(entries, e => (string?)e["resource_id"] == name && (string?)e["operation"] == "CreateNamespace");
        var sequences = entries.Select(e => long.Parse((string)e["sequence"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Contains($"exported {lines.Length} audit entries to {file}", toFile.StandardError, StringComparison.Ordinal);

        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        var stdoutLines = toStdout.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(stdoutLines.Length >= lines.Length);
        Assert.Equal(lines, stdoutLines.Take(lines.Length));
    }
}
