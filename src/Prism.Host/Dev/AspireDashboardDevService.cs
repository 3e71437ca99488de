using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Telemetry;

namespace Prism.Host.Dev;

/// <summary>
/// The telemetry viewer of <c>dev up</c>: the .NET Aspire dashboard (NuGet <c>Aspire.Dashboard.Sdk.&lt;rid&gt;</c>, a
/// self-contained executable, no container), receiving OTLP on the ports the modules already export to and serving
/// its UI and telemetry API on the viewer's port. It takes the place of the embedded viewer module, which stays as the
/// fallback where the package has no build and as the in-process receiver tests use.
/// </summary>
public sealed class AspireDashboardDevService(string executable, IConfiguration configuration, IReadOnlyDictionary<string, string> shellExports) : DevService
{
    /// <summary>Version of the dashboard package the build references (Directory.Packages.props).</summary>
    public const string DashboardVersion = "13.6.5";

    private readonly Listener _ui = new TelemetryModule().ResolveListener(configuration);

    /// <summary>The dashboard executable this build restored, or null when its package has no build for this platform.</summary>
    public static string? Executable() =>
        typeof(AspireDashboardDevService).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AspireDashboardPath")?.Value is { Length: > 0 } path && File.Exists(path) ? path : null;

    /// <inheritdoc />
    public override string Name => "telemetry";

    /// <inheritdoc />
    public override Uri Url => new UriBuilder(Scheme, "localhost", _ui.Port).Uri;

    /// <inheritdoc />
    public override string Version => DashboardVersion;

    /// <inheritdoc />
    public override string CommandLineMarker => "Aspire.Dashboard";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> ShellExports => shellExports;

    /// <inheritdoc />
    public override IReadOnlyList<InsecureDefault> InsecureDefaults { get; } =
    [
        new("telemetry", "Aspire dashboard without sign-in (ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS)",
            "production sends OTLP to a real collector and backend with authentication instead of running a local viewer"),
    ];

    private bool Tls => CoreSettings.TlsCertificate.IsSet(configuration);

    private string Scheme => Tls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;

    /// <inheritdoc />
    public override Task<bool> IsHealthyAsync(HealthChecker checker, CancellationToken cancellation) =>
        checker.IsHealthyAsync(new HealthProbe(HealthProbeKind.Http, new Uri(Url, "/health")), cancellation);

    /// <inheritdoc />
    public override ProcessStartInfo StartInfo(PrismHome home)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(executable)! };
        var host = _ui.Address is "0.0.0.0" or "localhost" ? "127.0.0.1" : _ui.Address;
        string Endpoint(int port) => string.Create(CultureInfo.InvariantCulture, $"{Scheme}://{host}:{port}");
        start.Environment["ASPNETCORE_URLS"] = Endpoint(_ui.Port);
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = Endpoint(ViewerSettings.OtlpGrpcPort.Port(configuration));
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = Endpoint(ViewerSettings.OtlpHttpPort.Port(configuration));
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        if (Tls)
        {
            // dev up --tls: the dashboard serves the UI and OTLP with the dev server certificate (Kestrel reads PEM).
            start.Environment["ASPNETCORE_Kestrel__Certificates__Default__Path"] = CoreSettings.TlsCertificate.Text(configuration)!;
            start.Environment["ASPNETCORE_Kestrel__Certificates__Default__KeyPath"] = CoreSettings.TlsKey.Text(configuration)!;
        }

        return start;
    }
}
