using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Logging;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Modules;

/// <summary>Builds the <see cref="WebApplication"/> of one module: configuration, logging, listener, posture.</summary>
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
        builder.Configuration.AddPrismSettings(knownSettings.Concat(CoreSettings.All).Concat(module.Settings));
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.AddPrismConsole();
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(PrismHome.From(builder.Configuration));
        builder.Services.AddSingleton(module);

        var listener = module.ResolveListener(builder.Configuration);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(System.Net.IPAddress.Parse(listener.Address is "localhost" ? "127.0.0.1" : listener.Address), listener.Port,
                o => o.Protocols = module.Protocols);
        });

        module.ConfigureServices(builder);
        var app = builder.Build();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(module.ServiceName);
        DeploymentPosture.Enforce(app.Configuration, logger, module.InsecureDefaults(app.Services).ToList());
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
        try
        {
            await module.InitializeAsync(app.Services, cancellationToken);
            await app.StartAsync(cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The address a started module actually listens on (resolves port 0).</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        var address = addresses.Addresses.First();
        return new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }
}
