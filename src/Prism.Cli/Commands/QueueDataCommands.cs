using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Prism.Client;
using Prism.Interfaces.Queue;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>queue publish|consume|ack</c>: messages of a namespace's queues, through the proxy.</summary>
public static class QueueDataCommands
{
    /// <summary>Adds the data commands to the <c>queue</c> group (next to <c>queue dlq</c>).</summary>
    public static Command AddTo(Command queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        queue.Subcommands.Add(Publish());
        queue.Subcommands.Add(Consume());
        queue.Subcommands.Add(Ack());
        return queue;
    }

    private static Argument<string> QueueArgument() => new("queue") { Description = "Queue name" };

    private static Option<string> GroupOption() => new("--group", "-g") { Description = "Consumer group", Required = true };

    private static Command Publish()
    {
        var ns = DataPlane.NamespaceOption();
        var queue = QueueArgument();
        var payload = DataPlane.ValueArgument("payload");
        var file = DataPlane.FileOption("payload");
        var metadata = PubSubCommands.MetadataOption();
        var key = new Option<string?>("--idempotency-key") { Description = "Publishes repeated with the same key within 10 minutes store one message (default: a new key per command)" };
        var command = new Command("publish", "Publish a message on a queue: the argument's text, the bytes of --file, or stdin with -") { queue, payload, ns, file, metadata, key };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var bytes = await DataPlane.ReadValueAsync(parse.GetValue(payload), parse.GetValue(file), "payload", cancellation);
            var pairs = Pairs.Parse(parse.GetValue(metadata), "--metadata");
            return await DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
            {
                var name = parse.GetValue(queue)!;
                var id = await new PrismQueueClient(connection).PublishAsync(name, bytes, pairs, parse.GetValue(key), cancellation);
                context.Output.Write(new JsonObject { ["queue"] = name, ["message_id"] = id },
                    () => new Text($"Published message {id} on queue {name} in namespace {space}.\n"));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command Consume()
    {
        var ns = DataPlane.NamespaceOption();
        var queue = QueueArgument();
        var group = GroupOption();
        var count = new Option<int>("--count", "-c") { Description = "Stop after this many messages (default: run until Ctrl-C)" };
        var ack = new Option<bool>("--ack") { Description = "Acknowledge each message once printed (else it is given out again after the visibility timeout)" };
        var consumer = new Option<string?>("--consumer-id") { Description = "Member id (default: the proxy makes one up)" };
        var visibility = new Option<string?>("--visibility-timeout") { Description = "Time to settle a message before it is given out again (default: the namespace's)" };
        var command = new Command("consume",
            "Join a consumer group and print its messages, one per line (ID, attempt, payload as text or base64:; -o json: one JSON object per line), until Ctrl-C or --count")
        {
            queue, ns, group, count, ack, consumer, visibility,
        };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var limit = parse.GetValue(count);
            if (limit < 0)
            {
                throw CliException.Usage("--count must not be negative");
            }

            var options = new QueueConsumerOptions
            {
                ConsumerId = parse.GetValue(consumer),
                VisibilityTimeout = parse.GetValue(visibility) is { } v ? Durations.Parse(v, "--visibility-timeout") : TimeSpan.Zero,
            };
            return await DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
            {
                var name = parse.GetValue(queue)!;
                var groupName = parse.GetValue(group)!;
                await using var member = await new PrismQueueClient(connection).ConsumeAsync(name, groupName, options, cancellation);
                context.Notice($"Joined group {groupName} of queue {name} in namespace {space} as {member.Joined.ConsumerId}; Ctrl-C to stop.");
                var received = 0;
                await foreach (var message in member.ReadAllAsync(cancellation))
                {
                    var acked = parse.GetValue(ack) && await member.AckAsync(message.MessageId, cancellation);
                    var json = ToJson(message);
                    if (parse.GetValue(ack))
                    {
                        json["acked"] = acked;
                    }

                    PubSubCommands.Emit(context.Output, json,
                        $"{message.MessageId}\t{message.Attempt.ToString(CultureInfo.InvariantCulture)}\t{DataPlane.Line(message.Payload.Span)}");
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

    private static Command Ack()
    {
        var ns = DataPlane.NamespaceOption();
        var queue = QueueArgument();
        var group = GroupOption();
        var ids = new Argument<string[]>("message-id") { Description = "Ids of the messages to acknowledge", Arity = ArgumentArity.OneOrMore };
        var wait = new Option<string>("--wait") { Description = "How long to wait for the messages to be delivered (default 60s)", DefaultValueFactory = _ => "60s" };
        var command = new Command("ack",
            "Acknowledge messages for a group: joins it, waits for each named message to be delivered (one held by an ended 'queue consume' comes back after its visibility timeout), "
            + "acks it, and gives every other message straight back (a nack without delay); exit code 5 when some did not come within --wait")
        {
            queue, ids, ns, group, wait,
        };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var patience = Durations.Parse(parse.GetValue(wait)!, "--wait");
            var wanted = new HashSet<string>(parse.GetValue(ids)!, StringComparer.Ordinal);
            return await DataPlane.RunAsync(context, parse, ns, async (connection, space) =>
            {
                var name = parse.GetValue(queue)!;
                var groupName = parse.GetValue(group)!;
                await using var member = await new PrismQueueClient(connection).ConsumeAsync(name, groupName, cancellation: cancellation);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(patience);
                var acked = new JsonArray();
                try
                {
                    await foreach (var message in member.ReadAllAsync(timeout.Token))
                    {
                        if (wanted.Remove(message.MessageId))
                        {
                            await member.AckAsync(message.MessageId, cancellation);
                            acked.Add(message.MessageId);
                            context.Output.Line($"Acknowledged message {message.MessageId} of queue {name} for group {groupName}.");
                        }
                        else
                        {
                            await member.NackAsync(message.MessageId, TimeSpan.Zero, "given back by prismctl queue ack", cancellation);
                        }

                        if (wanted.Count == 0)
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    // --wait is over.
                }

                if (!context.Output.IsTable)
                {
                    context.Output.Write(new JsonObject { ["acked"] = acked, ["not_delivered"] = new JsonArray([.. wanted.Order(StringComparer.Ordinal).Select(id => (JsonNode?)id)]) }, () => new Text(""));
                }

                return wanted.Count == 0
                    ? ExitCodes.Ok
                    : throw new CliException(ExitCodes.NotFound, $"not found: message(s) {string.Join(", ", wanted.Order(StringComparer.Ordinal))} not delivered to group {groupName} of queue {name} in namespace {space} within {parse.GetValue(wait)}");
            });
        });
        return command;
    }

    private static JsonObject ToJson(QueueMessage message) => new JsonObject
    {
        ["queue"] = message.Queue,
        ["message_id"] = message.MessageId,
        ["attempt"] = message.Attempt,
        ["timestamp"] = message.Timestamp.ToString(CultureInfo.InvariantCulture),
        ["metadata"] = new JsonObject(message.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))),
    }.WithBytes("payload", message.Payload.Span);
}
