using System.CommandLine;
using Google.Protobuf.Collections;
using Prism.Admin.V1;
using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>namespace list|get|create|update|delete</c>: one command per namespace RPC.</summary>
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

            context.Output.Write(all, () => Table(all.Namespaces));
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
            context.Output.Write(response.Namespace, () => Details(response.Namespace));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCommand()
    {
        var name = NameArgument();
        var options = new NamespaceOptions();
        var command = new Command("create", "Create a namespace") { name };
        options.AddTo(command);
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var wanted = new Namespace { Name = parse.GetValue(name)!, Quotas = new Quotas() };
            options.Apply(parse, wanted);
            var response = await context.Admin.CallAsync(
                (c, o) => c.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = wanted }, o), cancellation);
            context.Output.Write(response.Namespace, () => Done($"Created namespace {response.Namespace.Name} (version {response.Namespace.Version})."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update()
    {
        var name = NameArgument();
        var options = new NamespaceOptions();
        var version = new Option<long?>("--version") { Description = "Version being updated (default: the current one, fetched first)" };
        var command = new Command("update", "Change a namespace; only the given fields change") { name, version };
        options.AddTo(command);
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var current = (await context.Admin.CallAsync(
                (c, o) => c.GetNamespaceAsync(new GetNamespaceRequest { Name = parse.GetValue(name) }, o), cancellation)).Namespace;
            current.Quotas ??= new Quotas();
            options.Apply(parse, current);
            if (parse.GetValue(version) is { } expected)
            {
                current.Version = expected;
            }

            var response = await context.Admin.CallAsync(
                (c, o) => c.UpdateNamespaceAsync(new UpdateNamespaceRequest { Namespace = current }, o), cancellation);
            context.Output.Write(response.Namespace, () => Done($"Updated namespace {response.Namespace.Name} (version {response.Namespace.Version})."));
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
        ("backends", Tables.Map(ns.Backends)),
        ("access groups", Tables.List(ns.AccessGroups)),
        ("max value bytes", Tables.Number(ns.Quotas?.MaxValueBytes ?? 0)),
        ("max requests/s", Tables.Number(ns.Quotas?.MaxRequestsPerSecond ?? 0)),
        ("labels", Tables.Map(ns.Labels)),
        ("version", Tables.Number(ns.Version)),
        ("created", $"{Tables.Time(ns.CreatedAt)} by {ns.CreatedBy}"),
        ("updated", $"{Tables.Time(ns.UpdatedAt)} by {ns.UpdatedBy}"));
}
