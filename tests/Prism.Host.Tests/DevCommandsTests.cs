using System.Globalization;
using System.Text.Json;

namespace Prism.Host.Tests;

/// <summary>dev up/status -o json, dev logs, dev restart, dev env and dev run, against a real identity module.</summary>
public sealed class DevCommandsTests
{
    [Fact]
    public async Task JsonStatusLogsRestartEnvAndRun_OnARunningIdentity()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_METRICS_PORT"] = Prism.Testing.FreePort.Next().ToString(CultureInfo.InvariantCulture);

        var up = await prism.RunAsync("dev", "up", "identity", "-o", "json");
        Assert.True(up.ExitCode == 0, up.ToString());
        using (var document = JsonDocument.Parse(up.StandardOutput))
        {
            Assert.True(document.RootElement.GetProperty("healthy").GetBoolean());
            var identity = Assert.Single(document.RootElement.GetProperty("services").EnumerateArray());
            Assert.Equal("identity", identity.GetProperty("name").GetString());
            Assert.True(identity.GetProperty("pid").GetInt32() > 0);
        }

        var status = await prism.RunAsync("dev", "status", "-o", "json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var document = JsonDocument.Parse(status.StandardOutput))
        {
            var services = document.RootElement.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
            Assert.Equal("healthy", services["identity"].GetProperty("state").GetString());
            Assert.Equal("not started", services["admin"].GetProperty("state").GetString());
            Assert.EndsWith("/metrics", services["admin"].GetProperty("metrics").GetString(), StringComparison.Ordinal);
        }

        var logs = await prism.RunAsync("dev", "logs", "identity", "-n", "3");
        Assert.Equal(0, logs.ExitCode);
        Assert.InRange(logs.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 1, 3);
        Assert.Equal(2, (await prism.RunAsync("dev", "logs", "nosuch")).ExitCode);

        var pid = File.ReadAllText(Path.Combine(prism.Home, "run", "identity.pid"));
        var restart = await prism.RunAsync("dev", "restart", "identity");
        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.Contains("stopped identity", restart.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("✅ identity", restart.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(pid, File.ReadAllText(Path.Combine(prism.Home, "run", "identity.pid")));

        var env = await prism.RunAsync("dev", "env");
        Assert.Equal(0, env.ExitCode);
        Assert.Contains("export PRISM_LOCAL_DEV=true", env.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"export PRISM_OIDC_ISSUER={prism.Issuer}", env.StandardOutput, StringComparison.Ordinal);

        var run = await prism.RunAsync("dev", "run", "--", "sh", "-c", "echo \"$PRISM_OIDC_ISSUER\"; exit 3");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(prism.Issuer, run.StandardOutput.Trim());
        Assert.Equal(127, (await prism.RunAsync("dev", "run", "--", "no-such-program-" + Guid.NewGuid().ToString("N"))).ExitCode);
    }

    [Fact]
    public async Task Reset_AsksForYes_ThenStopsEverythingAndDeletesTheData_KeepingConfig()
    {
        using var prism = new PrismCli();
        Assert.Equal(0, (await prism.RunAsync("dev", "up", "identity")).ExitCode);
        var data = Path.Combine(prism.Home, "data");
        Assert.True(Directory.Exists(Path.Combine(data, "identity")));
        await File.WriteAllTextAsync(Path.Combine(prism.Home, "config.yaml"), "# kept\n");

        var unconfirmed = await prism.RunAsync("dev", "reset");
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("--yes", unconfirmed.StandardError, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(data, "identity")));

        var reset = await prism.RunAsync("dev", "reset", "--yes");
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Contains("stopped identity", reset.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
        Assert.True(File.Exists(Path.Combine(prism.Home, "config.yaml")));
        Assert.Equal(0, (await prism.RunAsync("dev", "status")).ExitCode);
    }
}
