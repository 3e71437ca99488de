using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Prism.Cli.Output;
using Prism.Client;
using Prism.Interfaces.PubSub;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>pubsub publish|subscribe</c>: topics of a namespace, through the proxy.</summary>
public static class PubSubCommands
{
    /// <summary>The <c>pubsub</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("pubsub", "Topics of a namespace, through the proxy");
        group.Subcommands.Add(Publish());
        group.Subcommands.Add(Subscribe());
        return group;
    }

    private static Argument<string> TopicArgument() => new("topic") { Description = "The topic" };

    /// <summary><c>--metadata key=value</c>, repeatable.</summary>
    internal static Option<string[]> MetadataOption() => new("--metadata", "-m") { Description = "Metadata key=value sent with the message (repeatable)" };

    private static Command Publish()
    {
        var ns = DataPlane.NamespaceOption();
        var topic = TopicArgument();
        var payload = DataPlane.ValueArgument("payload");
        var file = DataPlane.FileOption("payload");
        var metadata = MetadataOption();
        var command = new Command("publish", "Publish a message: the argument's text, the bytes of --file, or stdin with -") { topic, payload, ns, file, metadata };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var bytes = await DataPlane.ReadValueAsync(parse.GetValue(payload), parse.GetValue(file), "payload", cancellation);
            var pairs = Pairs.Parse(parse.GetValue(metadata), "--metadata");
            return await DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
            {
                var name = parse.GetValue(topic)!;
                var id = await new PrismPubSubClient(connection).PublishAsync(name, bytes, pairs, cancellation);
                context.Output.Write(new JsonObject { ["topic"] = name, ["message_id"] = id },
                    () => new Text($"Published message {id} on topic {name} in namespace {space}.\n"));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command Subscribe()
    {
        var ns = DataPlane.NamespaceOption();
        var topic = TopicArgument();
        var count = new Option<int>("--count", "-c") { Description = "Stop after this many messages (default: run until Ctrl-C)" };
        var subscriber = new Option<string?>("--subscriber-id") { Description = "Subscriber id (durable subscriptions on backends that keep them)" };
        var command = new Command("subscribe",
            "Print messages published on a topic from now on, one per line (the payload as text, or base64: when it is not UTF-8; -o json: one JSON object per line), until Ctrl-C or --count")
        {
            topic, ns, count, subscriber,
        };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var limit = parse.GetValue(count);
            if (limit < 0)
            {
                throw CliException.Usage("--count must not be negative");
            }

            return await DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
            {
                var name = parse.GetValue(topic)!;
                using var subscription = await new PrismPubSubClient(connection).SubscribeAsync(name, parse.GetValue(subscriber), cancellation);
                context.Notice($"Subscribed to topic {name} in namespace {space}; Ctrl-C to stop.");
                var received = 0;
                await foreach (var message in subscription.ReadAllAsync(cancellation))
                {
                    Emit(context.Output, ToJson(message), DataPlane.Line(message.Payload.Span));
                    if (limit > 0 && ++received >= limit)
                    {
                        break;
                    }
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static JsonObject ToJson(Message message)
    {
        var json = new JsonObject
        {
            ["topic"] = message.Topic,
            ["message_id"] = message.MessageId,
            ["timestamp"] = message.Timestamp.ToString(CultureInfo.InvariantCulture),
            ["metadata"] = new JsonObject(message.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))),
        };
        return json.WithBytes("payload", message.Payload.Span);
    }

    /// <summary>One streamed item: a compact JSON line, a YAML document, or a table line.</summary>
    internal static void Emit(ResultWriter output, JsonObject json, string line)
    {
        switch (output.Format)
        {
            case OutputFormat.Json:
                output.Console.Profile.Out.Writer.WriteLine(json.ToJsonString());
                break;
            case OutputFormat.Yaml:
                output.Console.Profile.Out.Writer.WriteLine("---");
                output.Write(json, () => new Text(""));
                break;
            default:
                output.Console.Profile.Out.Writer.WriteLine(line);
                break;
        }

        output.Console.Profile.Out.Writer.Flush();
    }
}
