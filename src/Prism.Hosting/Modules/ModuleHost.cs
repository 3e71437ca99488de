using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prism.Hosting.Logging;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Hosting.Telemetry;
using Prism.Hosting.Tls;

namespace Prism.Hosting.Modules;

/// <summary>Builds the <see cref="WebApplication"/> of one module: configuration, logging, telemetry, listeners, posture.</summary>
public static class ModuleHost
{
    /// <summary>
    /// Builds a module's application. <paramref name="overrides"/> (highest precedence) lets tests
    /// and embedding hosts set any key, for example a port of 0 or a temporary PRISM_HOME.
    /// </summary>
    public static WebApplication Build(
        PrismModule module,
        IEnumerable<Setting> knownSettings,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = module.ServiceName,
            EnvironmentName = "Production",
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddPrismSettings(knownSettings.Concat(CoreSettings.All).Concat(TelemetrySettings.All).Concat(module.Settings));
        builder.Configuration.AddOtelEnvironmentVariables();
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        CoreSettings.Validate(builder.Configuration);
        builder.Logging.AddPrismConsole(builder.Configuration);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(PrismHome.From(builder.Configuration));
        builder.Services.AddSingleton(module);
        builder.AddPrismTelemetry(module);

        var listeners = module.ResolveListeners(builder.Configuration);
        var certificate = ListenerTls.Certificate(builder.Configuration);
        var https = certificate is null ? null : ListenerTls.Https(builder.Configuration, certificate);
        builder.Services.AddSingleton(OutboundTls.From(builder.Configuration));
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var listener in listeners)
            {
                kestrel.Listen(System.Net.IPAddress.Parse(listener.Address is "localhost" ? "127.0.0.1" : listener.Address), listener.Port, o =>
                {
                    o.Protocols = listener.Protocols ?? module.Protocols;
                    if (https is not null)
                    {
                        // Over TLS, ALPN picks the protocol: gRPC clients get HTTP/2, and probes and curl may use HTTP/1.1.
                        if (o.Protocols == Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2)
                        {
                            o.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2;
                        }

                        o.UseHttps(https);
                    }
                });
            }
        });

        module.ConfigureServices(builder);
        var app = builder.Build();
        // Options registered with ValidateOnStart are checked now, so a process hosting several modules
        // reports every configuration error before any module listens.
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.UsePrismTelemetry(module);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(module.ServiceName);
        DeprecatedSettings.Warn(logger, app.Configuration, module.Settings);
        var insecure = module.InsecureDefaults(app.Services).ToList();
        if (certificate is null)
        {
            insecure.Add(ListenerTls.Plaintext(module, listeners));
        }

        DeploymentPosture.Enforce(app.Configuration, logger, insecure);
        module.MapEndpoints(app);
        return app;
    }

    /// <summary>Builds the module's application, runs its initialisation (migrations) and starts its listener.</summary>
    public static async Task<WebApplication> StartAsync(
        PrismModule module,
        IEnumerable<Setting> knownSettings,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        var app = Build(module, knownSettings, overrides, configureLogging);
        await StartBuiltAsync(module, app, cancellationToken);
        return app;
    }

    /// <summary>Runs the initialisation (migrations) of an application made by <see cref="Build"/> and starts its listener; disposes it on failure.</summary>
    public static async Task StartBuiltAsync(PrismModule module, WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(app);
        // Background work started here (hosted services) belongs to the module in its spans.
        using var scope = ModuleScope.Enter(module.Name);
        try
        {
            await module.InitializeAsync(app.Services, cancellationToken);
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The address a started module actually listens on (resolves port 0): its primary listener.</summary>
    public static Uri BoundAddress(WebApplication app) => BoundAddresses(app)[0];

    /// <summary>Every address a started module listens on, in the order of <see cref="PrismModule.ResolveListeners"/>.</summary>
    public static IReadOnlyList<Uri> BoundAddresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        return addresses.Addresses
            .Select(a => new Uri(a.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)))
            .ToList();
    }
}
