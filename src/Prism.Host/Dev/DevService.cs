using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Hosting.Telemetry;

namespace Prism.Host.Dev;

/// <summary>A service <c>prism dev</c> can start detached, check and stop: a module or a support backend.</summary>
public abstract class DevService
{
    /// <summary>Name on the command line and of the pid and log files.</summary>
    public abstract string Name { get; }

    /// <summary>Where a developer reaches the service.</summary>
    public abstract Uri Url { get; }

    /// <summary>True when the service answers its health check.</summary>
    public abstract Task<bool> IsHealthyAsync(HealthChecker checker, CancellationToken cancellation);

    /// <summary>True for the services a plain <c>dev up</c> starts (the modules); support backends start when named.</summary>
    public virtual bool StartsByDefault => true;

    /// <summary>Signal that stops the service quickly and cleanly.</summary>
    public virtual string StopSignal => "TERM";

    /// <summary>Development shortcuts of the service, logged when dev up starts it.</summary>
    public virtual IReadOnlyList<InsecureDefault> InsecureDefaults => [];

    /// <summary>One-time preparation before the first start, such as creating a database cluster.</summary>
    public virtual Task PrepareAsync(PrismHome home, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Work once the service is healthy, such as creating a database.</summary>
    public virtual Task AfterStartAsync(CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Version shown by <c>dev status</c>.</summary>
    public abstract string Version { get; }

    /// <summary>The command that runs the service in the foreground; dev up detaches it.</summary>
    public abstract ProcessStartInfo StartInfo(PrismHome home);

    /// <summary>Text that must appear in the command line of a live process for its pid file to be trusted.</summary>
    public abstract string CommandLineMarker { get; }

    /// <summary>Environment variables a developer's shell needs to use the service.</summary>
    public virtual IReadOnlyDictionary<string, string> ShellExports => new Dictionary<string, string>();

    /// <summary>Where its Prometheus metrics are scraped, or null when it exposes none.</summary>
    public virtual Uri? MetricsUrl => null;
}

/// <summary>A Prism module run as <c>prism serve --modules NAME</c>.</summary>
public sealed class ModuleDevService(
    PrismModule module, Listener listener, IConfiguration configuration, IReadOnlyDictionary<string, string> environment) : DevService
{
    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> ShellExports => module.ShellExports(configuration);

    /// <inheritdoc />
    public override string Name => module.Name;

    /// <inheritdoc />
    public override Uri? MetricsUrl =>
        environment.TryGetValue(TelemetrySettings.MetricsPort.EnvironmentVariable, out var port) && port != "0"
            ? new UriBuilder(BaseAddress) { Port = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), Path = "/metrics" }.Uri
            : null;

    /// <inheritdoc />
    public override Uri Url => module.PublicUrl(BaseAddress);

    /// <summary>The listener's local URL: https when the modules serve TLS.</summary>
    private Uri BaseAddress => CoreSettings.TlsCertificate.IsSet(configuration)
        ? new UriBuilder(listener.LocalUri) { Scheme = Uri.UriSchemeHttps }.Uri
        : listener.LocalUri;

    /// <inheritdoc />
    public override Task<bool> IsHealthyAsync(HealthChecker checker, CancellationToken cancellation) =>
        checker.IsHealthyAsync(module.Health(BaseAddress), cancellation);

    /// <inheritdoc />
    public override string Version => typeof(ModuleDevService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <inheritdoc />
    public override string CommandLineMarker => "--modules\0" + module.Name;

    /// <inheritdoc />
    public override ProcessStartInfo StartInfo(PrismHome home)
    {
        var start = PrismExecutable.StartInfo();
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--modules");
        start.ArgumentList.Add(module.Name);
        start.Environment[CoreSettings.Home.EnvironmentVariable] = home.Root;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}

/// <summary>How to start this same prism executable again, as an apphost or through <c>dotnet prism.dll</c>.</summary>
internal static class PrismExecutable
{
    public static ProcessStartInfo StartInfo()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell the path of the prism executable.");
        var start = new ProcessStartInfo(path);
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PrismExecutable).Assembly.Location);
        }

        return start;
    }
}
