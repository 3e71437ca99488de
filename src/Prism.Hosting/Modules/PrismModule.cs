using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Modules;

/// <summary>
/// One deployable part of Prism (identity, admin, proxy, ...). Each module gets its own
/// <see cref="WebApplication"/> with its own listener and service container, so any subset
/// can share a process without sharing state.
/// </summary>
public abstract class PrismModule
{
    /// <summary>Short name used on the command line: <c>identity</c>, <c>admin</c>, ...</summary>
    public abstract string Name { get; }

    /// <summary>OpenTelemetry service name, for example <c>prism-identity</c>.</summary>
    public string ServiceName => "prism-" + Name;

    /// <summary>
    /// Names of the module's <see cref="System.Diagnostics.ActivitySource"/>s and <see cref="System.Diagnostics.Metrics.Meter"/>s,
    /// added to its OpenTelemetry pipelines. Default: <c>Prism.&lt;Name&gt;</c> (for example <c>Prism.Admin</c>).
    /// </summary>
    public virtual IReadOnlyList<string> TelemetrySources =>
        ["Prism." + char.ToUpperInvariant(Name[0]) + Name[1..]];

    /// <summary>Setting that holds the module's listening port.</summary>
    public abstract Setting PortSetting { get; }

    /// <summary>HTTP protocols of the plaintext listener: HTTP/1.1 for pages and REST, HTTP/2 for gRPC modules.</summary>
    public virtual HttpProtocols Protocols => HttpProtocols.Http1;

    /// <summary>Every setting the module reads, so the host can map environment variables and document them.</summary>
    public virtual IReadOnlyList<Setting> Settings => [PortSetting];

    /// <summary>Registers the module's services (calls its <c>AddPrismXxx</c>).</summary>
    public abstract void ConfigureServices(WebApplicationBuilder builder);

    /// <summary>Maps the module's endpoints (calls its <c>MapPrismXxx</c>).</summary>
    public abstract void MapEndpoints(WebApplication app);

    /// <summary>Work that must finish before the listener accepts calls, such as schema migrations.</summary>
    public virtual Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Development defaults that are active with the given configuration.</summary>
    public virtual IEnumerable<InsecureDefault> InsecureDefaults(IServiceProvider services) => [];

    /// <summary>The URL a developer uses to reach the module, given its listener's base address.</summary>
    public virtual Uri PublicUrl(Uri baseAddress) => baseAddress;

    /// <summary>Environment variables a developer's shell needs to use the module (printed by <c>prism dev up</c>).</summary>
    public virtual IReadOnlyDictionary<string, string> ShellExports(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        new Dictionary<string, string>();

    /// <summary>How <c>prism dev status</c> and <c>dev up</c> decide the module is healthy.</summary>
    public abstract HealthProbe Health(Uri baseAddress);

    /// <summary>Port and bind address the listener uses, after configuration.</summary>
    public virtual Listener ResolveListener(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        new(CoreSettings.ListenAddress(configuration), PortSetting.Port(configuration));

    /// <summary>
    /// Every listener of the module, the primary one (health, public URL) first. Default: the single
    /// <see cref="ResolveListener"/> with <see cref="Protocols"/>. Modules with several ports override it
    /// and give each listener its protocols.
    /// </summary>
    public virtual IReadOnlyList<Listener> ResolveListeners(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        [ResolveListener(configuration)];
}

/// <summary>Address and port a module listens on.</summary>
/// <param name="Address">Bind address.</param>
/// <param name="Port">Port; 0 lets the OS choose.</param>
/// <param name="Protocols">HTTP protocols of this listener; null means the module's <see cref="PrismModule.Protocols"/>.</param>
public sealed record Listener(string Address, int Port, HttpProtocols? Protocols = null)
{
    /// <summary>The loopback URL a local client uses to reach the listener.</summary>
    public Uri LocalUri => new($"http://{(Address is "0.0.0.0" or "::" or "*" ? "127.0.0.1" : Address)}:{Port}");
}

/// <summary>A health check a local client can run against a module.</summary>
/// <param name="Kind">HTTP GET of <see cref="Target"/> expecting 2xx, or a gRPC health check.</param>
/// <param name="Target">URL to check.</param>
public sealed record HealthProbe(HealthProbeKind Kind, Uri Target);

/// <summary>The protocol a <see cref="HealthProbe"/> speaks.</summary>
public enum HealthProbeKind
{
    /// <summary>HTTP GET answered with a success status.</summary>
    Http,
    /// <summary><c>grpc.health.v1.Health/Check</c> answered SERVING.</summary>
    Grpc,
}
