using System.CommandLine;
using Grpc.Core;
using Prism.Admin.V1;
using Prism.Cli.Manifests;
using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>backend list|get|create|update|delete|status</c>: backend instances and their health.</summary>
public static class BackendCommands
{
    /// <summary>The <c>backend</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("backend", "Backend instances namespace slots bind to, and their health");
        group.Subcommands.Add(List());
        group.Subcommands.Add(Get());
        group.Subcommands.Add(CreateCommand());
        group.Subcommands.Add(Update());
        group.Subcommands.Add(Delete());
        group.Subcommands.Add(Status());
        return group;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Backend instance name, e.g. redis-cache" };

    private static Command List()
    {
        var command = new Command("list", "List backend instances with their capabilities and health");
        command.SetHandler(async (context, _, cancellation) =>
        {
            var response = await context.Admin.CallAsync((c, o) => c.ListBackendsAsync(new ListBackendsRequest(), o), cancellation);
            Hide(response.Backends);
            var health = context.Output.IsTable ? await HealthByNameAsync(context, cancellation) : null;
            context.Output.Write(response, () => Table(response.Backends, health), () => ManifestWriter.Stream(response.Backends.Select(ManifestWriter.Document)));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Health of every backend by name from one GetBackendStatus call; null (with a warning) when it fails.</summary>
    private static async Task<Dictionary<string, BackendHealth>?> HealthByNameAsync(CommandContext context, CancellationToken cancellation)
    {
        try
        {
            var statuses = await context.Admin.CallAsync((c, o) => c.GetBackendStatusAsync(new GetBackendStatusRequest(), o), cancellation);
            var health = new Dictionary<string, BackendHealth>(StringComparer.Ordinal);
            foreach (var status in statuses.Statuses.Where(s => s.Backend is not null))
            {
                health[status.Backend.Name] = status.Health;
            }

            return health;
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            context.Notice($"prismctl: warning: backend health is unknown ({ErrorReporter.Describe(e, context.Settings.AdminEndpoint).Message})");
            return null;
        }
    }

    private static Command Get()
    {
        var name = NameArgument();
        var command = new Command("get", "Show one backend instance (never its secrets: only which are set)") { name };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var backend = (await context.Admin.CallAsync((c, o) => c.GetBackendAsync(new GetBackendRequest { Name = parse.GetValue(name) }, o), cancellation)).Backend;
            Hide([backend]);
            context.Output.Write(backend, () => Details(backend), () => ManifestWriter.Document(backend));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCommand()
    {
        var name = NameArgument();
        var options = new BackendOptions(update: false);
        var dryRun = NamespaceCommands.DryRunOption();
        var command = new Command("create", "Create a backend instance; the server tries the connection first") { name, dryRun };
        options.AddTo(command);
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var wanted = new Backend { Name = parse.GetValue(name)! };
            await options.ApplyAsync(parse, wanted, context, cancellation);
            var request = new CreateBackendRequest { Backend = wanted, ValidateOnly = parse.GetValue(dryRun) };
            var backend = (await context.Admin.CallAsync((c, o) => c.CreateBackendAsync(request, o), cancellation)).Backend;
            Hide([backend]);
            context.Output.Write(backend, () => Done(request.ValidateOnly
                ? $"Backend {backend.Name} would be created (dry run)."
                : $"Created backend {backend.Name} (version {backend.Version})."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update()
    {
        var name = NameArgument();
        var options = new BackendOptions(update: true);
        var version = new Option<long?>("--version") { Description = "Version being updated (default: the current one, fetched first)" };
        var dryRun = NamespaceCommands.DryRunOption();
        var command = new Command("update", "Change a backend instance: options add or remove one item each; everything not named is kept") { name, version, dryRun };
        options.AddTo(command);
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var current = (await context.Admin.CallAsync((c, o) => c.GetBackendAsync(new GetBackendRequest { Name = parse.GetValue(name) }, o), cancellation)).Backend;
            await options.ApplyAsync(parse, current, context, cancellation);
            if (parse.GetValue(version) is { } expected)
            {
                current.Version = expected;
            }

            var request = new UpdateBackendRequest { Backend = current, ValidateOnly = parse.GetValue(dryRun) };
            var backend = (await context.Admin.CallAsync((c, o) => c.UpdateBackendAsync(request, o), cancellation)).Backend;
            Hide([backend]);
            context.Output.Write(backend, () => Done(request.ValidateOnly
                ? $"Backend {backend.Name} would be updated (dry run)."
                : $"Updated backend {backend.Name} (version {backend.Version})."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete()
    {
        var name = NameArgument();
        var version = new Option<long>("--version") { Description = "Delete only if this is the stored version (default: any)" };
        var command = new Command("delete", "Delete a backend instance (refused while a namespace slot binds it)") { name, version };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var response = await context.Admin.CallAsync(
                (c, o) => c.DeleteBackendAsync(new DeleteBackendRequest { Name = parse.GetValue(name), Version = parse.GetValue(version) }, o), cancellation);
            context.Output.Write(response, () => Done($"Deleted backend {parse.GetValue(name)}."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status()
    {
        var names = new Argument<string[]>("name") { Description = "Backends to check (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("status", "Check backend health now") { names };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var request = new GetBackendStatusRequest();
            request.Names.Add(parse.GetValue(names) ?? []);
            var response = await context.Admin.CallAsync((c, o) => c.GetBackendStatusAsync(request, o), cancellation);
            Hide(response.Statuses.Where(s => s.Backend is not null).Select(s => s.Backend));
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

    /// <summary>Secrets are write-only and the server never returns them; clear them anyway before anything is printed.</summary>
    private static void Hide(IEnumerable<Backend> backends)
    {
        foreach (var backend in backends)
        {
            backend.Secrets.Clear();
        }
    }

    private static Table Table(IEnumerable<Backend> backends, Dictionary<string, BackendHealth>? health)
    {
        var table = Tables.Create("NAME", "TYPE", "SOURCE", "ENDPOINT", "CAPABILITIES", "HEALTH");
        foreach (var b in backends)
        {
            var state = health is null ? "?" : health.TryGetValue(b.Name, out var h) ? Health(h) : "unknown";
            table.Row(b.Name, b.Type, b.Source, b.Endpoint, Tables.List(b.Capabilities), state);
        }

        return table;
    }

    private static Table Details(Backend b) => Tables.Fields(
        ("name", b.Name),
        ("type", b.Type),
        ("description", b.Description),
        ("source", b.Source),
        ("endpoint", b.Endpoint),
        ("capabilities", Tables.List(b.Capabilities)),
        ("settings", Tables.Map(b.Settings)),
        ("secrets set", Tables.List(b.SecretsSet)),
        ("labels", Tables.Map(b.Labels)),
        ("version", Tables.Number(b.Version)),
        ("created", $"{Tables.Time(b.CreatedAt)} by {b.CreatedBy}"),
        ("updated", $"{Tables.Time(b.UpdatedAt)} by {b.UpdatedBy}"));

    private static Text Done(string line) => new(line + "\n");

    private static string Health(BackendHealth health) => health switch
    {
        BackendHealth.Healthy => "healthy",
        BackendHealth.Degraded => "degraded",
        BackendHealth.Unhealthy => "unhealthy",
        _ => "unknown",
    };
}
