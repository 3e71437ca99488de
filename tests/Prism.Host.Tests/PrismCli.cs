using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>Runs the real prism executable (this build's prism.dll) in a temporary PRISM_HOME.</summary>
public sealed class PrismCli : IDisposable
{
    private static readonly string Assembly = typeof(ModuleCatalog).Assembly.Location;
    private readonly TempDirectory _home = new("prism-home");

    public PrismCli()
    {
        Environment = new Dictionary<string, string?>
        {
            ["PRISM_HOME"] = _home.Path,
            ["PRISM_IDENTITY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PRISM_ENV"] = null,
            ["PRISM_CONFIG"] = null,
        };
    }

    public string Home => _home.Path;

    public Dictionary<string, string?> Environment { get; }

    public Task<CliResult> RunAsync(params string[] arguments) =>
        CliRunner.RunAsync(Assembly, arguments, Environment, TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        // Whatever a test started, stop it by the pid files in this home.
        RunAsync("dev", "down").Wait(TimeSpan.FromSeconds(30));
        _home.Dispose();
    }
}
