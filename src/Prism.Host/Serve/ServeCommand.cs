using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Modules;
using Prism.Hosting.Posture;
using Prism.Hosting.Telemetry;

namespace Prism.Host.Serve;

/// <summary><c>prism serve --modules identity,admin</c>: runs modules in the foreground until stopped.</summary>
public static partial class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var modules = new Option<string[]>("--modules", "-m")
        {
            Description = "Modules to run, comma-separated: " + string.Join(", ", ModuleCatalog.All.Select(m => m.Name)) + ". Default: all.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("serve", "Run modules in the foreground (production, containers, and what dev up starts).") { modules };
        command.SetAction((parse, cancellation) => RunAsync(parse.GetValue(modules) ?? [], cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string[] names, CancellationToken cancellation)
    {
        var apps = new List<WebApplication>();
        try
        {
            var modules = names.Length > 0 ? ModuleCatalog.Resolve(names) : ModuleCatalog.All;
            await using var metrics = await PrismMetricsServer.StartAsync(modules, ModuleCatalog.AllSettings, cancellationToken: cancellation);
            foreach (var module in modules)
            {
                var app = await ModuleHost.StartAsync(module, ModuleCatalog.AllSettings, cancellationToken: cancellation);
                apps.Add(app);
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Prism.Host");
                LogModuleStarted(logger, module.Name, ModuleHost.BoundAddress(app));
            }

            await Task.WhenAny(apps.Select(a => a.WaitForShutdownAsync(cancellation)));
            return 0;
        }
        catch (Exception e) when (e is ProductionPostureException or InvalidOperationException or ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"prism: {e.Message}");
            return 78; // EX_CONFIG
        }
        finally
        {
            foreach (var app in Enumerable.Reverse(apps))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await app.StopAsync(timeout.Token);
                await app.DisposeAsync();
            }
        }
    }

    [LoggerMessage(EventId = 10, EventName = "ModuleStarted", Level = LogLevel.Information, Message = "module {Module} listening on {Address}")]
    private static partial void LogModuleStarted(ILogger logger, string module, Uri address);
}
