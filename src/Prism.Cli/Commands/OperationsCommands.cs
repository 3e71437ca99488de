using System.CommandLine;
using Prism.Admin.V1;
using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>maintenance on|off|status</c>, <c>drain</c> and <c>metrics</c>.</summary>
public static class OperationsCommands
{
    /// <summary>The operational commands.</summary>
    public static IEnumerable<Command> Create() => [Maintenance(), Drain(), Metrics()];

    private static Command Maintenance()
    {
        var group = new Command("maintenance", "Maintenance mode: data-plane calls answer UNAVAILABLE with a message");
        var message = new Option<string?>("--message", "-m") { Description = "Message shown to data-plane clients" };
        var on = new Command("on", "Turn maintenance mode on") { message };
        on.SetHandler((context, parse, cancellation) => SetAsync(context, true, parse.GetValue(message), cancellation));
        var off = new Command("off", "Turn maintenance mode off");
        off.SetHandler((context, _, cancellation) => SetAsync(context, false, null, cancellation));
        var status = new Command("status", "Show whether maintenance mode is on");
        status.SetHandler(async (context, _, cancellation) =>
        {
            var mode = (await context.Admin.CallAsync((c, o) => c.GetMaintenanceModeAsync(new GetMaintenanceModeRequest(), o), cancellation)).Maintenance ?? new MaintenanceMode();
            context.Output.Write(mode, () => Details(mode));
            return ExitCodes.Ok;
        });
        group.Subcommands.Add(on);
        group.Subcommands.Add(off);
        group.Subcommands.Add(status);
        return group;
    }

    private static async Task<int> SetAsync(CommandContext context, bool enabled, string? message, CancellationToken cancellation)
    {
        var request = new SetMaintenanceModeRequest { Enabled = enabled, Message = message ?? "" };
        var mode = (await context.Admin.CallAsync((c, o) => c.SetMaintenanceModeAsync(request, o), cancellation)).Maintenance ?? new MaintenanceMode();
        context.Output.Write(mode, () => new Text($"Maintenance mode is {(mode.Enabled ? "on" : "off")}.\n"));
        return ExitCodes.Ok;
    }

    private static Table Details(MaintenanceMode mode) => Tables.Fields(
        ("enabled", mode.Enabled ? "yes" : "no"),
        ("message", mode.Message),
        ("set by", mode.SetBy),
        ("set at", Tables.Time(mode.SetAt)));

    private static Command Drain()
    {
        var timeout = new Option<string?>("--timeout") { Description = "How long sessions may finish before proxies close them (30s, 2m; default: the server's 30s)" };
        var message = new Option<string?>("--message", "-m") { Description = "Message shown to draining clients" };
        var cancel = new Option<bool>("--cancel") { Description = "End a drain: proxies accept new sessions again" };
        var command = new Command("drain", "Drain proxies: no new sessions, existing ones close after the timeout") { timeout, message, cancel };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var seconds = parse.GetValue(timeout) is { } text ? Durations.Parse(text, "--timeout").TotalSeconds : 0;
            if (seconds > int.MaxValue)
            {
                throw CliException.Usage("--timeout is too long");
            }

            var request = new DrainConnectionsRequest { TimeoutSeconds = (int)Math.Ceiling(seconds), Message = parse.GetValue(message) ?? "", Cancel = parse.GetValue(cancel) };
            var response = await context.Admin.CallAsync((c, o) => c.DrainConnectionsAsync(request, o), cancellation);
            context.Output.Write(response, () => new Text(response.Draining
                ? $"Draining; deadline {Tables.Time(response.Deadline)}; {response.ActiveSessions} active session(s).\n"
                : $"Not draining; {response.ActiveSessions} active session(s).\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Metrics()
    {
        var command = new Command("metrics", "Show the control plane's metrics");
        command.SetHandler(async (context, _, cancellation) =>
        {
            var response = await context.Admin.CallAsync((c, o) => c.GetMetricsAsync(new GetMetricsRequest(), o), cancellation);
            context.Output.Write(response, () =>
            {
                var table = Tables.Create("NAME", "LABELS", "VALUE");
                foreach (var m in response.Metrics)
                {
                    table.Row(m.Name, Tables.Map(m.Labels), Tables.Number(m.Value));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
