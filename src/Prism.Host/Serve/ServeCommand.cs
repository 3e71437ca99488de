using System.CommandLine;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prism.Hosting.Modules;
using Prism.Hosting.Settings;
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
        var built = new Queue<(PrismModule Module, WebApplication App)>();
        try
        {
            var modules = names.Length > 0 ? ModuleCatalog.Resolve(names) : ModuleCatalog.All;
            // Every module reads and validates its settings before any of them listens: a configuration
            // error stops the process with its one line and nothing half-started.
            foreach (var module in modules)
            {
                built.Enqueue((module, ModuleHost.Build(module, ModuleCatalog.AllSettings)));
            }

            await using var metrics = await PrismMetricsServer.StartAsync(modules, ModuleCatalog.AllSettings, cancellationToken: cancellation);
            while (built.TryDequeue(out var next))
            {
                var (module, app) = next;
                await ModuleHost.StartBuiltAsync(module, app, cancellation);
                apps.Add(app);
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Prism.Host");
                LogModuleStarted(logger, module.Name, ModuleHost.BoundAddress(app));
            }

            await Task.WhenAny(apps.Select(a => a.WaitForShutdownAsync(cancellation)));
            return 0;
        }
        catch (Exception e) when (ConfigurationError(e) is { } message)
        {
            await Console.Error.WriteLineAsync($"prism: {message}");
            return ConfigurationException.ExitCode;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"prism: {e.Message}");
            return 78; // EX_CONFIG
        }
        finally
        {
            foreach (var (_, app) in built)
            {
                await app.DisposeAsync();
            }

            foreach (var app in Enumerable.Reverse(apps))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await app.StopAsync(timeout.Token);
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The message of a configuration error, without stack trace: a <see cref="ConfigurationException"/>
    /// (also inside the exception the host wraps it in), options validation failures (one line, joined by "; "),
    /// or an unknown module name. Null for every other failure.
    /// </summary>
    private static string? ConfigurationError(Exception e) => e switch
    {
        ConfigurationException c => c.Message,
        OptionsValidationException v => string.Join("; ", v.Failures),
        ArgumentException when e.Message.StartsWith("Unknown module", StringComparison.Ordinal) => e.Message,
        AggregateException a when a.InnerExceptions.Select(ConfigurationError).ToList() is var messages && messages.All(m => m is not null)
            => string.Join("; ", messages),
        TargetInvocationException { InnerException: { } inner } => ConfigurationError(inner),
        _ => null,
    };

    [LoggerMessage(EventId = 10, EventName = "ModuleStarted", Level = LogLevel.Information, Message = "module {Module} listening on {Address}")]
    private static partial void LogModuleStarted(ILogger logger, string module, Uri address);
}
