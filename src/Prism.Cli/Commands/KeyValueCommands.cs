using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Prism.Client;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>kv get|set|delete|exists|ttl|expire</c>: keys of a namespace, through the proxy.</summary>
public static class KeyValueCommands
{
    /// <summary>The <c>kv</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("kv", "Keys and values of a namespace, through the proxy (values are bytes)");
        group.Subcommands.Add(Get());
        group.Subcommands.Add(Set());
        group.Subcommands.Add(Delete());
        group.Subcommands.Add(Exists());
        group.Subcommands.Add(Ttl());
        group.Subcommands.Add(Expire());
        return group;
    }

    private static Argument<string> KeyArgument() => new("key") { Description = "The key" };

    private static Command Get()
    {
        var ns = DataPlane.NamespaceOption();
        var key = KeyArgument();
        var command = new Command("get", "Write a key's value to stdout as raw bytes (-o json|yaml: the value as UTF-8 text or base64); exit code 5 when there is none")
        {
            key, ns,
        };
        command.SetHandler((context, parse, cancellation) => DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
        {
            var name = parse.GetValue(key)!;
            var value = await new PrismKeyValueClient(connection).GetAsync(name, cancellation)
                ?? throw new CliException(ExitCodes.NotFound, $"not found: key '{name}' in namespace {space}");
            if (context.Output.IsTable)
            {
                await DataPlane.WriteRawAsync(value, cancellation);
            }
            else
            {
                context.Output.Write(new JsonObject { ["key"] = name }.WithBytes("value", value), () => new Text(""));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Set()
    {
        var ns = DataPlane.NamespaceOption();
        var key = KeyArgument();
        var value = DataPlane.ValueArgument("value");
        var file = DataPlane.FileOption("value");
        var command = new Command("set", "Store a value under a key: the argument's text, the bytes of --file, or stdin with -") { key, value, ns, file };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var bytes = await DataPlane.ReadValueAsync(parse.GetValue(value), parse.GetValue(file), "value", cancellation);
            return await DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
            {
                var name = parse.GetValue(key)!;
                await new PrismKeyValueClient(connection).SetAsync(name, bytes, cancellation);
                context.Output.Write(new JsonObject { ["key"] = name, ["bytes"] = bytes.Length },
                    () => new Text($"Set key {name} ({bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes) in namespace {space}.\n"));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command Delete()
    {
        var ns = DataPlane.NamespaceOption();
        var key = KeyArgument();
        var command = new Command("delete", "Delete a key (a missing key is no error)") { key, ns };
        command.SetHandler((context, parse, cancellation) => DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
        {
            var name = parse.GetValue(key)!;
            await new PrismKeyValueClient(connection).DeleteAsync(name, cancellation);
            context.Output.Write(new JsonObject { ["key"] = name, ["deleted"] = true }, () => new Text($"Deleted key {name} in namespace {space}.\n"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Exists()
    {
        var ns = DataPlane.NamespaceOption();
        var key = KeyArgument();
        var command = new Command("exists", "Print whether a key has a value: true (exit code 0) or false (exit code 5)") { key, ns };
        command.SetHandler((context, parse, cancellation) => DataPlane.RunAsync(context, parse, ns, async (connection, _) =>
        {
            var name = parse.GetValue(key)!;
            var exists = await new PrismKeyValueClient(connection).ExistsAsync(name, cancellation);
            context.Output.Write(new JsonObject { ["key"] = name, ["exists"] = exists }, () => new Text(exists ? "true\n" : "false\n"));
            return exists ? ExitCodes.Ok : ExitCodes.NotFound;
        }));
        return command;
    }

    private static Command Ttl()
    {
        var ns = DataPlane.NamespaceOption();
        var key = KeyArgument();
        var command = new Command("ttl", "Print the seconds a key has left, or 'none' when it never expires; exit code 5 when the key does not exist") { key, ns };
        command.SetHandler((context, parse, cancellation) => DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
        {
            var name = parse.GetValue(key)!;
            var ttl = await new PrismKeyValueClient(connection).GetTtlAsync(name, cancellation);
            if (ttl.Missing)
            {
                throw new CliException(ExitCodes.NotFound, $"not found: key '{name}' in namespace {space}");
            }

            context.Output.Write(new JsonObject { ["key"] = name, ["ttl_seconds"] = ttl.Seconds },
                () => new Text(ttl.NoExpiry ? "none\n" : ttl.Seconds.ToString(CultureInfo.InvariantCulture) + "\n"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Expire()
    {
        var ns = DataPlane.NamespaceOption();
        var key = KeyArgument();
        var ttl = new Argument<string>("ttl") { Description = "Time to live: 90s, 10m, 2h, 1d (whole seconds)" };
        var command = new Command("expire", "Make a key expire after a time; exit code 5 when the key does not exist") { key, ttl, ns };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var lifetime = Durations.Parse(parse.GetValue(ttl)!, "ttl");
            if (lifetime <= TimeSpan.Zero)
            {
                throw CliException.Usage("ttl must be positive");
            }

            return await DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
            {
                var name = parse.GetValue(key)!;
                if (!await new PrismKeyValueClient(connection).ExpireAsync(name, lifetime, cancellation))
                {
                    throw new CliException(ExitCodes.NotFound, $"not found: key '{name}' in namespace {space}");
                }

                var seconds = (long)Math.Ceiling(lifetime.TotalSeconds);
                context.Output.Write(new JsonObject { ["key"] = name, ["ttl_seconds"] = seconds },
                    () => new Text($"Key {name} expires in {seconds.ToString(CultureInfo.InvariantCulture)} s.\n"));
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
