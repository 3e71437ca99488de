using System.CommandLine;
using Prism.Hosting.Settings;

namespace Prism.Host.Dev;

/// <summary><c>prism dev up|down|status</c>: the local platform, one detached process per service.</summary>
public static class DevCommand
{
    /// <summary>Builds the command tree.</summary>
    public static Command Create()
    {
        var dev = new Command("dev", "Run the local development platform (detached processes, pid and logs under PRISM_HOME).");
        dev.Subcommands.Add(Up());
        dev.Subcommands.Add(Down());
        dev.Subcommands.Add(Status());
        return dev;
    }

    private static Argument<string[]> ServicesArgument() => new("services")
    {
        Description = "Services to act on (default: all).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static Command Up()
    {
        var services = ServicesArgument();
        var command = new Command("up", "Start services detached and wait until each is healthy.") { services };
        command.SetAction((parse, cancellation) => Run(parse.GetValue(services), (runner, selected) => runner.UpAsync(selected, cancellation), warnDeprecated: true));
        return command;
    }

    private static Command Down()
    {
        var services = ServicesArgument();
        var command = new Command("down", "Stop services started by dev up (all of them when none is named).") { services };
        command.SetAction((parse, _) =>
        {
            var names = parse.GetValue(services) ?? [];
            return Run(names, (runner, selected) => runner.DownAsync(names.Length > 0 ? selected : []));
        });
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "One line per service: health, URL, version, uptime.");
        command.SetAction((_, cancellation) => Run([], (runner, _) => runner.StatusAsync(cancellation)));
        return command;
    }

    private static async Task<int> Run(string[]? names, Func<DevRunner, IReadOnlyList<DevService>, Task<int>> action, bool warnDeprecated = false)
    {
        try
        {
            var catalog = DevCatalog.Load();
            if (warnDeprecated)
            {
                foreach (var setting in DeprecatedSettings.InUse(catalog.Configuration, DevSettings.All))
                {
                    await Console.Error.WriteLineAsync(DeprecatedSettings.Line(setting, catalog.Configuration));
                }
            }

            using var runner = new DevRunner(catalog, PrismHome.From(catalog.Configuration), Console.Out);
            return await action(runner, catalog.Select(names ?? []));
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"prism dev: {e.Message}");
            return ConfigurationException.ExitCode;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            await Console.Error.WriteLineAsync($"prism dev: {e.Message}");
            return 2;
        }
    }
}
