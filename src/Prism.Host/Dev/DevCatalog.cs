using System.Globalization;
using Microsoft.Extensions.Configuration;
using Prism.Backends;
using Prism.Host.Dev.Backends;
using Prism.Hosting.Modules;
using Prism.Hosting.Telemetry;
using Prism.Hosting.Settings;
using Prism.Hosting.Tls;

namespace Prism.Host.Dev;

/// <summary>The services <c>prism dev</c> knows, with listeners resolved from the current configuration.</summary>
public sealed class DevCatalog
{
    private DevCatalog(IConfiguration configuration, IReadOnlyList<DevService> services)
    {
        Configuration = configuration;
        Services = services;
    }

    /// <summary>Configuration from defaults, PRISM_CONFIG and environment variables.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Every service in start order.</summary>
    public IReadOnlyList<DevService> Services { get; }

    /// <summary>Reads configuration the way the modules will and lists every service.</summary>
    public static DevCatalog Load()
    {
        var configuration = new ConfigurationBuilder().AddPrismSettings(ModuleCatalog.AllSettings).Build();
        CoreSettings.Validate(configuration);
        var backends = new BackendCatalog(configuration, PrismHome.From(configuration));
        var dashboard = AspireDashboardDevService.Executable();
        List<DevService> services =
        [
            .. DevBackendServices.From(backends),
            .. ModuleCatalog.All.Select((m, index) => dashboard is not null && m.Name == "telemetry"
                ? new AspireDashboardDevService(dashboard, configuration, m.ShellExports(configuration))
                : (DevService)new ModuleDevService(m, m.ResolveListener(configuration), configuration, ModuleEnvironment(configuration, m, index))),
        ];
        return new DevCatalog(configuration, services);
    }

    /// <summary>
    /// What dev up adds to a module's environment: the embedded receiver as OTLP endpoint (unless the
    /// shell names another), and a Prometheus port of its own, since each module runs in its own process.
    /// </summary>
    private static Dictionary<string, string> ModuleEnvironment(IConfiguration configuration, PrismModule module, int index)
    {
        var environment = new Dictionary<string, string>();
        var receiver = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (receiver is null && ModuleCatalog.All.SelectMany(m => m.ShellExports(configuration)).FirstOrDefault(e => e.Key == "OTEL_EXPORTER_OTLP_ENDPOINT").Value is { } embedded)
        {
            receiver = embedded;
            // dev up --tls: the embedded receiver serves TLS too; the OpenTelemetry SDK trusts the dev CA through its own variable.
            if (CoreSettings.TlsCertificate.IsSet(configuration) && TlsSettings.CaBundle.Text(configuration) is { Length: > 0 } ca)
            {
                receiver = new UriBuilder(embedded) { Scheme = Uri.UriSchemeHttps }.Uri.ToString().TrimEnd('/');
                environment["OTEL_EXPORTER_OTLP_CERTIFICATE"] = ca;
            }
        }

        if (receiver is not null && module.Name != "telemetry")
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver;
        }

        var metricsBase = TelemetrySettings.MetricsPort.Port(configuration);
        environment[TelemetrySettings.MetricsPort.EnvironmentVariable] = (metricsBase == 0 ? 0 : metricsBase + index).ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    /// <summary>The named services, or the modules when none are named; an unknown name throws listing the known ones.</summary>
    public IReadOnlyList<DevService> Select(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
        {
            return [.. Services.Where(s => s.StartsByDefault)];
        }

        return names.Select(name => Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unknown service '{name}'. Known services: {string.Join(", ", Services.Select(s => s.Name))}."))
            .Distinct()
            .ToList();
    }
}
