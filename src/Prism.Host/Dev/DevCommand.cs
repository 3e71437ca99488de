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
        dev.Subcommands.Add(Status());
        dev.Subcommands.Add(Certs());
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
        var tls = new Option<bool>("--tls")
        {
            Description = "Serve every module over https with the certificates of 'prism dev certs' (created when missing); dev status follows until the next dev up without it.",
        };
        var command = new Command("up", "Start services detached and wait until each is healthy.") { services, tls };
        command.SetAction((parse, cancellation) =>
        {
            try
            {
                DevTls.Choose(parse.GetValue(tls));
            }
            catch (ConfigurationException e)
            {
                Console.Error.WriteLine($"prism dev: {e.Message}");
                return Task.FromResult(ConfigurationException.ExitCode);
            }

            return Run(parse.GetValue(services), (runner, selected) => runner.UpAsync(selected, cancellation), warnDeprecated: true);
        });
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
        command.SetAction((_, cancellation) =>
        {
            DevTls.Resume();
            return Run([], (runner, _) => runner.StatusAsync(cancellation));
        });
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
        command.SetAction((parse, _) =>
        {
            var home = PrismHome.From(new ConfigurationBuilder().AddPrismSettings(ModuleCatalog.AllSettings).Build());
            var certificates = DevCertificates.In(home);
            var written = certificates.Ensure(parse.GetValue(names) ?? [], parse.GetValue(force));
            Console.Out.WriteLine(written.Count == 0 ? $"certificates in {certificates.Folder} are there already (--force makes new ones)" : $"wrote {string.Join(", ", written)}");
            Console.Out.WriteLine($"CA to trust: {certificates.CaCertificate}   (prismctl: export PRISM_TLS_CA_FILE={certificates.CaCertificate})");
            Console.Out.WriteLine($"server: {certificates.ServerCertificate}   client (mTLS): {certificates.ClientCertificate}");
            return Task.FromResult(0);
        });
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
