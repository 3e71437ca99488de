namespace Prism.Host.Tests;

public class DevLifecycleTests
{
    [Fact]
    public async Task DevUp_StartsIdentityDetached_StatusReportsIt_DownStopsIt()
    {
        using var prism = new PrismCli();

        var up = await prism.RunAsync("dev", "up", "identity");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("✅ identity", up.StandardOutput);
        Assert.Contains("dev@local.prism", up.StandardOutput);
        var pidFile = Path.Combine(prism.Home, "run", "identity.pid");
        var pid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Directory.Exists($"/proc/{pid}"));
        Assert.True(File.Exists(Path.Combine(prism.Home, "logs", "identity.log")));

        var again = await prism.RunAsync("dev", "up", "identity");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"already running", again.StandardOutput);
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(pidFile));

        var status = await prism.RunAsync("dev", "status");
        Assert.Contains("✅ identity", status.StandardOutput);
        Assert.Contains("up ", status.StandardOutput);

        var down = await prism.RunAsync("dev", "down", "identity");
        Assert.Equal(0, down.ExitCode);
        Assert.Contains("stopped identity", down.StandardOutput);
        Assert.False(File.Exists(pidFile));
        await WaitUntilAsync(() => !Directory.Exists($"/proc/{pid}"));

        var after = await prism.RunAsync("dev", "status");
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("⚪ identity", after.StandardOutput);
    }

    [Fact]
    public async Task DevStatus_ReportsAServiceThatDied_AsDown_AndFails()
    {
        using var prism = new PrismCli();
        Assert.Equal(0, (await prism.RunAsync("dev", "up", "identity")).ExitCode);
        var pid = int.Parse(File.ReadAllText(Path.Combine(prism.Home, "run", "identity.pid")), System.Globalization.CultureInfo.InvariantCulture);

        using (var process = System.Diagnostics.Process.GetProcessById(pid))
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var status = await prism.RunAsync("dev", "status");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("❌ identity", status.StandardOutput);
        Assert.Contains("down", status.StandardOutput);

        // Still down the next time: a crash is not forgotten until dev down (or dev up starts it again).
        var again = await prism.RunAsync("dev", "status");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("❌ identity", again.StandardOutput);

        Assert.Contains("identity was not running", (await prism.RunAsync("dev", "down", "identity")).StandardOutput);
        var forgotten = await prism.RunAsync("dev", "status");
        Assert.Equal(0, forgotten.ExitCode);
        Assert.Contains("⚪ identity", forgotten.StandardOutput);
    }

    [Fact]
    public async Task DevUp_UnknownService_FailsNamingTheKnownOnes()
    {
        using var prism = new PrismCli();

        var result = await prism.RunAsync("dev", "up", "nosuch");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown service 'nosuch'", result.StandardError);
        Assert.Contains("identity", result.StandardError);
    }

    [Fact]
    public async Task Serve_UnknownModule_FailsNamingTheKnownOnes()
    {
        using var prism = new PrismCli();

        var result = await prism.RunAsync("serve", "--modules", "identity,bogus");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unknown module 'bogus'", result.StandardError);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
