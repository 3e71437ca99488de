using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>Runs the real prism executable (this build's prism.dll) in a temporary PRISM_HOME.</summary>
public sealed class PrismCli : IDisposable
{
    private static readonly string Assembly = typeof(ModuleCatalog).Assembly.Location;
    private readonly TempDirectory _home = new("prism-home");

    public PrismCli()
    {
        IdentityPort = FreePort.Next();
        Environment = new Dictionary<string, string?>
        {
            ["PRISM_HOME"] = _home.Path,
            ["PRISM_IDENTITY_PORT"] = IdentityPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PRISM_IDENTITY_ISSUER"] = $"http://127.0.0.1:{IdentityPort}/dex",
            ["PRISM_ENV"] = null,
            ["PRISM_METRICS_PORT"] = "0",
            ["PRISM_ADMIN_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PRISM_PROXY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PRISM_CONSOLE_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PRISM_TELEMETRY_UI_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PRISM_TELEMETRY_OTLP_GRPC_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PRISM_TELEMETRY_OTLP_HTTP_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["PRISM_CONFIG"] = null,
        };
    }

    public string Home => _home.Path;

    public int IdentityPort { get; }

    public string Issuer => $"http://127.0.0.1:{IdentityPort}/dex";

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
