using System.CommandLine;
using Prism.Admin.V1;
using Prism.Cli.Output;

namespace Prism.Cli.Commands;

/// <summary><c>backend list|status</c>.</summary>
public static class BackendCommands
{
    /// <summary>The <c>backend</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("backend", "Backends namespaces bind to, and their health");
        group.Subcommands.Add(List());
        group.Subcommands.Add(Status());
        return group;
    }

    private static Command List()
    {
        var command = new Command("list", "List backends and their capabilities");
        command.SetHandler(async (context, _, cancellation) =>
        {
            var response = await context.Admin.CallAsync((c, o) => c.ListBackendsAsync(new ListBackendsRequest(), o), cancellation);
            context.Output.Write(response, () =>
            {
                var table = Tables.Create("NAME", "TYPE", "ENDPOINT", "CAPABILITIES");
                foreach (var b in response.Backends)
                {
                    table.Row(b.Name, b.Type, b.Endpoint, Tables.List(b.Capabilities));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status()
    {
        var names = new Argument<string[]>("name") { Description = "Backends to check (default: all)", Arity = System.CommandLine.ArgumentArity.ZeroOrMore };
        var command = new Command("status", "Check backend health now") { names };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var request = new GetBackendStatusRequest();
            request.Names.Add(parse.GetValue(names) ?? []);
            var response = await context.Admin.CallAsync((c, o) => c.GetBackendStatusAsync(request, o), cancellation);
            context.Output.Write(response, () =>
            {
                var table = Tables.Create("NAME", "HEALTH", "LATENCY", "ERROR", "CHECKED");
                foreach (var s in response.Statuses)
                {
                    table.Row(s.Backend?.Name, Health(s.Health), $"{s.LatencyMicros / 1000.0:0.0} ms", s.Error, Tables.Time(s.CheckedAt));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Health(BackendHealth health) => health switch
    {
        BackendHealth.Healthy => "healthy",
        BackendHealth.Degraded => "degraded",
        BackendHealth.Unhealthy => "unhealthy",
        _ => "unknown",
    };
}
