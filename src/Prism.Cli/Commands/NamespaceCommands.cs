using System.CommandLine;
using Google.Protobuf.Collections;
using Prism.Admin.V1;
using Prism.Cli.Manifests;
using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>namespace list|get|create|update|delete|apply</c>: one command per namespace RPC, and the declarative apply.</summary>
public static class NamespaceCommands
{
    private const int PageSize = 100;

    /// <summary>The <c>namespace</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("namespace", "Manage namespaces (admin:read to read, admin:write to change)");
        group.Aliases.Add("ns");
        group.Subcommands.Add(List());
        group.Subcommands.Add(Get());
        group.Subcommands.Add(CreateCommand());
        group.Subcommands.Add(Update());
        group.Subcommands.Add(Delete());
        group.Subcommands.Add(ApplyCommand.Create());
        return group;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Namespace name (DNS label)" };

    private static Command List()
    {
        var command = new Command("list", "List namespaces");
        command.SetHandler(async (context, _, cancellation) =>
        {
            var all = new ListNamespacesResponse();
            var pageToken = "";
            do
            {
                var page = await context.Admin.CallAsync(
                    (c, o) => c.ListNamespacesAsync(new ListNamespacesRequest { PageSize = PageSize, PageToken = pageToken }, o), cancellation);
                all.Namespaces.Add(page.Namespaces);
                pageToken = page.NextPageToken;
            }
            while (pageToken.Length > 0);

            context.Output.Write(all, () => Table(all.Namespaces), () => ManifestWriter.Stream(all.Namespaces.Select(ManifestWriter.Document)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get()
    {
        var name = NameArgument();
        var command = new Command("get", "Show one namespace") { name };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var response = await context.Admin.CallAsync(
                (c, o) => c.GetNamespaceAsync(new GetNamespaceRequest { Name = parse.GetValue(name) }, o), cancellation);
            context.Output.Write(response.Namespace, () => Details(response.Namespace), () => ManifestWriter.Document(response.Namespace));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCommand()
    {
        var name = NameArgument();
        var options = new NamespaceOptions();
        var dryRun = DryRunOption();
        var command = new Command("create", "Create a namespace") { name, dryRun };
        options.AddTo(command, update: false);
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var wanted = new Namespace { Name = parse.GetValue(name)!, Quotas = new Quotas() };
            options.Apply(parse, wanted);
            var request = new CreateNamespaceRequest { Namespace = wanted, ValidateOnly = parse.GetValue(dryRun) };
            var response = await context.Admin.CallAsync((c, o) => c.CreateNamespaceAsync(request, o), cancellation);
            context.Output.Write(response.Namespace, () => Done(request.ValidateOnly
                ? $"Namespace {response.Namespace.Name} would be created (dry run)."
                : $"Created namespace {response.Namespace.Name} (version {response.Namespace.Version})."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update()
    {
        var name = NameArgument();
        var options = new NamespaceOptions();
        var version = new Option<long?>("--version") { Description = "Version being updated (default: the current one, fetched first)" };
        var dryRun = DryRunOption();
        var command = new Command("update", "Change a namespace: options add or remove one item each; everything not named is kept") { name, version, dryRun };
        options.AddTo(command, update: true);
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var current = (await context.Admin.CallAsync(
                (c, o) => c.GetNamespaceAsync(new GetNamespaceRequest { Name = parse.GetValue(name) }, o), cancellation)).Namespace;
            options.Apply(parse, current);
            if (parse.GetValue(version) is { } expected)
            {
                current.Version = expected;
            }

            var request = new UpdateNamespaceRequest { Namespace = current, ValidateOnly = parse.GetValue(dryRun) };
            var response = await context.Admin.CallAsync((c, o) => c.UpdateNamespaceAsync(request, o), cancellation);
            context.Output.Write(response.Namespace, () => Done(request.ValidateOnly
                ? $"Namespace {response.Namespace.Name} would be updated (dry run)."
                : $"Updated namespace {response.Namespace.Name} (version {response.Namespace.Version})."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete()
    {
        var name = NameArgument();
        var version = new Option<long>("--version") { Description = "Delete only if this is the stored version (default: any)" };
        var command = new Command("delete", "Delete a namespace") { name, version };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var response = await context.Admin.CallAsync(
                (c, o) => c.DeleteNamespaceAsync(new DeleteNamespaceRequest { Name = parse.GetValue(name), Version = parse.GetValue(version) }, o), cancellation);
            context.Output.Write(response, () => Done($"Deleted namespace {parse.GetValue(name)}."));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>--dry-run</c>: the server checks the request and stores nothing (validate_only).</summary>
    internal static Option<bool> DryRunOption() => new("--dry-run") { Description = "Let the server check everything and store nothing" };

    private static Text Done(string line) => new(line + "\n");

    private static Table Table(RepeatedField<Namespace> namespaces)
    {
        var table = Tables.Create("NAME", "PATTERNS", "BACKENDS", "ACCESS GROUPS", "VERSION", "UPDATED");
        foreach (var ns in namespaces)
        {
            table.Row(ns.Name, Tables.List(ns.Patterns), Tables.Map(ns.Backends), Tables.List(ns.AccessGroups), Tables.Number(ns.Version), Tables.Time(ns.UpdatedAt));
        }

        return table;
    }

    private static Table Details(Namespace ns) => Tables.Fields(
        ("name", ns.Name),
        ("description", ns.Description),
        ("patterns", Tables.List(ns.Patterns)),
        ("slots", Slots(ns)),
        ("backends", Tables.Map(ns.Backends)),
        ("access groups", Tables.List(ns.AccessGroups)),
        ("max value bytes", Tables.Number(ns.Quotas?.MaxValueBytes ?? 0)),
        ("max requests/s", Tables.Number(ns.Quotas?.MaxRequestsPerSecond ?? 0)),
        ("queue", Queue(ns.Queue)),
        ("labels", Tables.Map(ns.Labels)),
        ("version", Tables.Number(ns.Version)),
        ("created", $"{Tables.Time(ns.CreatedAt)} by {ns.CreatedBy}"),
        ("updated", $"{Tables.Time(ns.UpdatedAt)} by {ns.UpdatedBy}"));

    /// <summary>The queue settings that are set, as <c>key=value</c>; the rest take the server defaults.</summary>
    private static string Queue(QueueSettings? queue) => queue is null ? "" : string.Join(",", new[]
    {
        queue.HasMaxInFlight ? $"max_in_flight={queue.MaxInFlight}" : null,
        queue.HasVisibilityTimeoutMs ? $"visibility_timeout={queue.VisibilityTimeoutMs}ms" : null,
        queue.HasMaxRetries ? $"max_retries={queue.MaxRetries}" : null,
    }.Where(v => v is not null));

    /// <summary>Slot bindings as <c>pattern.slot=instance</c>, sorted.</summary>
    private static string Slots(Namespace ns) => string.Join(",", ns.Slots
        .SelectMany(p => p.Value.Bindings.Select(b => $"{p.Key}.{b.Key}={b.Value}"))
        .Order(StringComparer.Ordinal));
}
