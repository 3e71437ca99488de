using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>Runs the real prismctl (this build's prismctl.dll) against the test servers, in its own PRISM_HOME.</summary>
public sealed class Prismctl : IDisposable
{
    /// <summary>The built prismctl.dll.</summary>
    public static readonly string Assembly = typeof(ExitCodes).Assembly.Location;

    private readonly TempDirectory _home = new("prismctl-home");

    public Prismctl(PrismServers servers, bool localDev = true)
    {
        Servers = servers;
        Environment = new Dictionary<string, string?>
        {
            ["PRISM_HOME"] = _home.Path,
            ["PRISM_ADMIN_ENDPOINT"] = servers.AdminEndpoint,
            ["PRISM_OIDC_ISSUER"] = servers.Issuer,
            ["PRISM_LOCAL_DEV"] = localDev ? "true" : "false",
            ["PRISM_TOKEN"] = null,
            ["PRISM_CLIENT_ID"] = null,
            ["PRISM_CLIENT_SECRET"] = null,
            ["PRISM_OIDC_CLIENT_ID"] = null,
            ["PRISM_PROXY_ENDPOINT"] = null,
            ["PRISM_NAMESPACE"] = null,
            ["DISPLAY"] = null,
            ["WAYLAND_DISPLAY"] = null,
            ["NO_COLOR"] = null,
        };
    }

    public PrismServers Servers { get; }

    public string Home => _home.Path;

    public string TokenPath => Path.Combine(_home.Path, "token");

    public Dictionary<string, string?> Environment { get; }

    /// <summary>The token cache's permission bits in octal ("600"); "600" on Windows, which has none.</summary>
    public string TokenMode => OperatingSystem.IsWindows() ? "600" : Convert.ToString((int)File.GetUnixFileMode(TokenPath), 8);

    public Task<CliResult> RunAsync(params string[] arguments) => RunWithInputAsync(null, arguments);

    public Task<CliResult> RunWithInputAsync(string? standardInput, params string[] arguments) =>
        CliRunner.RunAsync(Assembly, arguments, Environment, TimeSpan.FromSeconds(60), standardInput);

    /// <summary>Logs in as <paramref name="user"/> with the password grant.</summary>
    public async Task LoginAsync(string user)
    {
        var result = await RunWithInputAsync("devpass\n", "login", "--password", "--username", user);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public void Dispose() => _home.Dispose();
}
