using System.CommandLine;
using Microsoft.Extensions.Configuration;
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
        dev.Subcommands.Add(Restart());
        dev.Subcommands.Add(Status());
        dev.Subcommands.Add(Logs());
        dev.Subcommands.Add(DevShell.EnvCommand());
        dev.Subcommands.Add(DevShell.RunCommand());
        dev.Subcommands.Add(DevReset.Create());
        dev.Subcommands.Add(Certs());
        return dev;
    }

    /// <summary><c>-o text|json</c>, as prismctl spells it.</summary>
    private static Option<string> OutputOption()
    {
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        return output;
    }

    private static Argument<string[]> ServicesArgument() => new("services")
    {
        Description = "Services to act on (default: all).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static Command Up()
    {
        var services = ServicesArgument();
        var tls = new Option<bool>("--tls")
        {
            Description = "Serve every module over https with the certificates of 'prism dev certs' (created when missing); dev status follows until the next dev up without it.",
        };
        var output = OutputOption();
        var command = new Command("up", "Start services detached and wait until each is healthy.") { services, tls, output };
        command.SetAction((parse, cancellation) => Run(
            parse.GetValue(services), (runner, selected) => runner.UpAsync(selected, parse.GetValue(output) == "json", cancellation),
            warnDeprecated: true, prepare: () => DevTls.Choose(parse.GetValue(tls))));
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

    private static Command Restart()
    {
        var services = ServicesArgument();
        var command = new Command("restart", "Stop, then start again and wait until healthy (the modules when none is named).") { services };
        command.SetAction((parse, cancellation) => Run(parse.GetValue(services), async (runner, selected) =>
        {
            await runner.DownAsync(selected);
            return await runner.UpAsync(selected, json: false, cancellation);
        }, prepare: DevTls.Resume));
        return command;
    }

    private static Command Status()
    {
        var output = OutputOption();
        var command = new Command("status", "One line per service: health, URL, version, uptime, metrics URL.") { output };
        command.SetAction((parse, cancellation) => Run([], (runner, _) => runner.StatusAsync(parse.GetValue(output) == "json", cancellation), prepare: DevTls.Resume));
        return command;
    }

    private static Command Logs()
    {
        var service = new Argument<string>("service") { Description = "The service whose log to show." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing what the service writes, until Ctrl-C." };
        var lines = new Option<int>("--lines", "-n") { Description = "How many of the last lines to show first (default 100).", DefaultValueFactory = _ => 100 };
        var command = new Command("logs", "Show a service's log (PRISM_HOME/logs/NAME.log).") { service, follow, lines };
        command.SetAction((parse, cancellation) => Run([parse.GetValue(service)!], (runner, selected) =>
            runner.LogsAsync(selected[0], parse.GetValue(lines), parse.GetValue(follow), cancellation)));
        return command;
    }

    private static Command Certs()
    {
        var force = new Option<bool>("--force") { Description = "Make a new CA and new certificates even when they exist (trust the new ca.pem again)." };
        var names = new Option<string[]>("--name")
        {
            Description = "Another DNS name or IP address for the server certificate, besides localhost, 127.0.0.1 and ::1 (repeatable).",
        };
        var command = new Command("certs", "Create a local CA and server and client certificates under PRISM_HOME/certs, for dev up --tls and mTLS.") { force, names };
        command.SetAction(async (parse, _) =>
        {
            try
            {
                var home = PrismHome.From(new ConfigurationBuilder().AddPrismSettings(ModuleCatalog.AllSettings).Build());
                var certificates = DevCertificates.In(home);
                var written = certificates.Ensure(parse.GetValue(names) ?? [], parse.GetValue(force));
                await Console.Out.WriteLineAsync(written.Count == 0
                    ? $"certificates in {certificates.Folder} are there already (--force makes new ones)"
                    : $"wrote {string.Join(", ", written)}");
                await Console.Out.WriteLineAsync($"CA to trust: {certificates.CaCertificate}   (prismctl: export PRISM_TLS_CA_FILE={certificates.CaCertificate})");
                await Console.Out.WriteLineAsync($"server: {certificates.ServerCertificate}   client (mTLS): {certificates.ClientCertificate}");
                return 0;
            }
            catch (ConfigurationException e)
            {
                await Console.Error.WriteLineAsync($"prism dev certs: {e.Message}");
                return ConfigurationException.ExitCode;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"prism dev certs: cannot use the certificates under PRISM_HOME/certs: {e.Message.ReplaceLineEndings(" ")} (--force makes new ones)");
                return 1;
            }
        });
        return command;
    }

    internal static async Task<int> Run(
        string[]? names, Func<DevRunner, IReadOnlyList<DevService>, Task<int>> action, bool warnDeprecated = false, Action? prepare = null)
    {
        try
        {
            prepare?.Invoke();
            DevTls.ApplyIssuer();
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
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"prism dev: {e.Message}");
            return 2;
        }
    }
}
