using System.Diagnostics;
using System.Globalization;

namespace Prism.Cli.Tests;

/// <summary>
/// What a first command does with no login: against a stack that <c>prism dev up</c> runs for this PRISM_HOME it
/// logs in as the developer; otherwise, with nobody at a terminal, it fails at once saying what to do, instead of
/// waiting minutes on a device code nobody will enter.
/// </summary>
[Collection(PrismServersCollection.Name)]
public sealed class LocalDevLoginTests(PrismServers servers)
{
    [Fact]
    public async Task NoLogin_NoTerminal_FailsAtOnce_NamingPrismLocalDevAndLogin()
    {
        using var cli = new Prismctl(servers);
        cli.Environment["PRISM_LOCAL_DEV"] = null;

        var result = await cli.RunAsync("namespace", "list");

        Assert.True(result.ExitCode == ExitCodes.Unauthenticated, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("prismctl: not logged in: run 'prismctl login'", line, StringComparison.Ordinal);
        Assert.Contains("PRISM_LOCAL_DEV=true", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevUpIdentityRunningForThisHome_LogsInAsTheDeveloper()
    {
        using var cli = new Prismctl(servers);
        cli.Environment["PRISM_LOCAL_DEV"] = null;
        // What the dev supervisor leaves for a running identity module: its pid under run/. This test process stands in.
        Directory.CreateDirectory(Path.Combine(cli.Home, "run"));
        await File.WriteAllTextAsync(Path.Combine(cli.Home, "run", "identity.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        var result = await cli.RunAsync("namespace", "list");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Auto-authenticated as dev@local.prism", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StalePidFile_IsNotARunningStack()
    {
        using var cli = new Prismctl(servers);
        cli.Environment["PRISM_LOCAL_DEV"] = null;
        using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync();
        Directory.CreateDirectory(Path.Combine(cli.Home, "run"));
        await File.WriteAllTextAsync(Path.Combine(cli.Home, "run", "identity.pid"), exited.Id.ToString(CultureInfo.InvariantCulture));

        var result = await cli.RunAsync("namespace", "list");

        Assert.True(result.ExitCode == ExitCodes.Unauthenticated, result.ToString());
    }
}
