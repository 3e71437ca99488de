using System.Runtime.Versioning;
using Prism.Cli;
using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary><c>make bootstrap</c> (scripts/bootstrap.sh), RFC-016 Workflow 1, with this build's prism and prismctl.</summary>
[SupportedOSPlatform("linux")] // a bash script, executable launchers and a 0600 token file
public class BootstrapTests
{
    [Fact]
    public async Task Bootstrap_WritesTheConfig_StartsThePlatform_LogsInByItself_AndListsTheServices()
    {
        using var prism = new PrismCli();
        using var bin = new TempDirectory("prism-bin");
        WriteLauncher(bin.Path, "prism", typeof(ModuleCatalog).Assembly.Location);
        WriteLauncher(bin.Path, "prismctl", typeof(ExitCodes).Assembly.Location);
        var environment = new Dictionary<string, string?>(prism.Environment)
        {
            ["PRISM_BIN"] = bin.Path,
            ["PRISM_LOCAL_DEV"] = null,
            ["PRISM_ADMIN_ENDPOINT"] = null,
            ["PRISM_OIDC_ISSUER"] = null,
            ["PRISM_TOKEN"] = null,
        };

        var bootstrap = CliRunner.Command("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "bootstrap.sh")], environment);
        var run = await CliRunner.RunAsync(
            bootstrap, TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.ToString());
        var config = await File.ReadAllTextAsync(Path.Combine(prism.Home, "config.yaml"));
        // The config points prismctl at the ports this platform really uses, and turns on the automatic login.
        Assert.Contains($"http://localhost:{prism.Environment["PRISM_ADMIN_PORT"]}", config);
        Assert.Contains($"issuer: {prism.Issuer}", config);
        Assert.Contains("auto_login: true", config);
        Assert.Contains("Auto-authenticated as dev@local.prism", run.StandardError);
        Assert.Contains("dev@local.prism", run.StandardOutput);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(prism.Home, "token")));
        foreach (var service in new[] { "telemetry", "identity", "admin", "proxy", "console" })
        {
            Assert.Contains($"✅ {service}", run.StandardOutput);
        }

        var again = await CliRunner.RunAsync(
            bootstrap, TimeSpan.FromMinutes(3));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("kept ", again.StandardOutput);
    }

    private static void WriteLauncher(string folder, string name, string assembly)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, $"#!/bin/sh\nexec dotnet '{assembly}' \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
