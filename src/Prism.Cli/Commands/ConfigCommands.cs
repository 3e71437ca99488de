using System.CommandLine;
using Prism.Admin.V1;
using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>config list|get|create|update|delete</c>: one command per config RPC.</summary>
public static class ConfigCommands
{
    private const int PageSize = 100;

    /// <summary>The <c>config</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("config", "Manage stored configurations (yaml or json documents)");
        group.Subcommands.Add(List());
        group.Subcommands.Add(Get());
        group.Subcommands.Add(Change(create: true));
        group.Subcommands.Add(Change(create: false));
        group.Subcommands.Add(Delete());
        return group;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Config name" };

    private static Command List()
    {
        var command = new Command("list", "List configs");
        command.SetHandler(async (context, _, cancellation) =>
        {
            var all = new ListConfigsResponse();
            var pageToken = "";
            do
            {
                var page = await context.Admin.CallAsync(
                    (c, o) => c.ListConfigsAsync(new ListConfigsRequest { PageSize = PageSize, PageToken = pageToken }, o), cancellation);
                all.Configs.Add(page.Configs);
                pageToken = page.NextPageToken;
            }
            while (pageToken.Length > 0);

            context.Output.Write(all, () =>
            {
                var table = Tables.Create("NAME", "FORMAT", "DESCRIPTION", "LABELS", "VERSION", "UPDATED");
                foreach (var config in all.Configs)
                {
                    table.Row(config.Name, config.Format, config.Description, Tables.Map(config.Labels), Tables.Number(config.Version), Tables.Time(config.UpdatedAt));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get()
    {
        var name = NameArgument();
        var command = new Command("get", "Show one config with its content") { name };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var config = (await context.Admin.CallAsync(
                (c, o) => c.GetConfigAsync(new GetConfigRequest { Name = parse.GetValue(name) }, o), cancellation)).Config;
            context.Output.Write(config, () => Tables.Fields(
                ("name", config.Name),
                ("description", config.Description),
                ("format", config.Format),
                ("labels", Tables.Map(config.Labels)),
                ("version", Tables.Number(config.Version)),
                ("created", $"{Tables.Time(config.CreatedAt)} by {config.CreatedBy}"),
                ("updated", $"{Tables.Time(config.UpdatedAt)} by {config.UpdatedBy}")));
            context.Output.Line("");
            context.Output.Line(config.Content.TrimEnd('\n'));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Change(bool create)
    {
        var name = NameArgument();
        var file = new Option<FileInfo?>("--file", "-f") { Description = "File holding the content (default: stdin)" };
        var format = new Option<string?>("--format") { Description = "Content format: yaml or json (default: from the file name, else yaml)" };
        format.AcceptOnlyFromAmong("yaml", "json");
        var description = new Option<string?>("--description") { Description = "Description" };
        var labels = new Option<string[]>("--label") { Description = "Label as key=value (repeatable; replaces all labels)" };
        var version = new Option<long?>("--version") { Description = "Version being updated (default: the current one, fetched first)" };
        var command = create
            ? new Command("create", "Create a config from --file or stdin") { name, file, format, description, labels }
            : new Command("update", "Change a config; only what is given changes") { name, file, format, description, labels, version };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var config = create
                ? new Prism.Admin.V1.Config { Name = parse.GetValue(name)! }
                : (await context.Admin.CallAsync((c, o) => c.GetConfigAsync(new GetConfigRequest { Name = parse.GetValue(name) }, o), cancellation)).Config;
            var source = parse.GetValue(file);
            if (await ReadContentAsync(source, required: create, cancellation) is { } content)
            {
                config.Content = content;
            }

            config.Format = parse.GetValue(format)
                ?? (source?.Extension.ToUpperInvariant() is ".JSON" ? "json" : source?.Extension.ToUpperInvariant() is ".YAML" or ".YML" ? "yaml" : null)
                ?? (create ? "yaml" : config.Format);
            config.Description = parse.GetValue(description) ?? config.Description;
            if (parse.GetResult(labels) is { Implicit: false })
            {
                config.Labels.Clear();
                config.Labels.Add(Pairs.Parse(parse.GetValue(labels), "--label"));
            }

            if (!create && parse.GetValue(version) is { } expected)
            {
                config.Version = expected;
            }

            var saved = create
                ? (await context.Admin.CallAsync((c, o) => c.CreateConfigAsync(new CreateConfigRequest { Config = config }, o), cancellation)).Config
                : (await context.Admin.CallAsync((c, o) => c.UpdateConfigAsync(new UpdateConfigRequest { Config = config }, o), cancellation)).Config;
            context.Output.Write(saved, () => new Text($"{(create ? "Created" : "Updated")} config {saved.Name} (version {saved.Version}).\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string?> ReadContentAsync(FileInfo? file, bool required, CancellationToken cancellation)
    {
        if (file is not null)
        {
            return file.Exists
                ? await File.ReadAllTextAsync(file.FullName, cancellation)
                : throw CliException.Usage($"--file {file.FullName} does not exist");
        }

        if (Console.IsInputRedirected)
        {
            var content = await Console.In.ReadToEndAsync(cancellation);
            if (content.Length > 0)
            {
                return content;
            }
        }

        return required ? throw CliException.Usage("give the content with --file or on stdin") : null;
    }

    private static Command Delete()
    {
        var name = NameArgument();
        var version = new Option<long>("--version") { Description = "Delete only if this is the stored version (default: any)" };
        var command = new Command("delete", "Delete a config") { name, version };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var response = await context.Admin.CallAsync(
                (c, o) => c.DeleteConfigAsync(new DeleteConfigRequest { Name = parse.GetValue(name), Version = parse.GetValue(version) }, o), cancellation);
            context.Output.Write(response, () => new Text($"Deleted config {parse.GetValue(name)}.\n"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
