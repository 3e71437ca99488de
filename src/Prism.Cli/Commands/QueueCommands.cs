using System.CommandLine;
using System.Text;
using Prism.Admin.V1;
using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>queue dlq list|get|replay|purge</c>: dead letters of a namespace's queues (admin:operational).</summary>
public static class QueueCommands
{
    private const int PageSize = 100;

    /// <summary>Longest error shown in the list table; <c>get</c> and <c>-o json</c> show it whole.</summary>
    internal const int ErrorColumnWidth = 60;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The <c>queue</c> command group.</summary>
    public static Command Create()
    {
        var dlq = new Command("dlq", "Dead letters: messages that exhausted their retries in a consumer group (admin:operational)");
        dlq.Subcommands.Add(List());
        dlq.Subcommands.Add(Get());
        dlq.Subcommands.Add(Replay());
        dlq.Subcommands.Add(Purge());
        var group = new Command("queue", "Queues of a namespace");
        group.Subcommands.Add(dlq);
        return group;
    }

    private static Option<string> NamespaceOption() => new("--namespace", "-n") { Description = "Namespace of the queue", Required = true };

    private static Argument<string> QueueArgument() => new("queue") { Description = "Queue name" };

    private static Argument<string> IdArgument() => new("id") { Description = "Dead letter id (the ID column of 'queue dlq list')" };

    private static Command List()
    {
        var ns = NamespaceOption();
        var queue = QueueArgument();
        var limit = new Option<int>("--limit") { Description = "Show at most this many (default: all)" };
        var command = new Command("list", "List a queue's dead letters, oldest first") { queue, ns, limit };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var max = parse.GetValue(limit);
            if (max < 0)
            {
                throw CliException.Usage("--limit must not be negative");
            }

            var result = new ListDeadLettersResponse();
            var pageToken = "";
            do
            {
                var request = new ListDeadLettersRequest
                {
                    Namespace = parse.GetValue(ns)!,
                    Queue = parse.GetValue(queue)!,
                    PageSize = max > 0 ? Math.Min(PageSize, max - result.DeadLetters.Count) : PageSize,
                    PageToken = pageToken,
                };
                var page = await context.Admin.CallAsync((c, o) => c.ListDeadLettersAsync(request, o), cancellation);
                result.DeadLetters.Add(page.DeadLetters);
                pageToken = page.NextPageToken;
            }
            while (pageToken.Length > 0 && (max == 0 || result.DeadLetters.Count < max));

            result.NextPageToken = pageToken;
            context.Output.Write(result, () =>
            {
                var table = Tables.Create("ID", "GROUP", "MESSAGE", "ATTEMPTS", "ERROR", "DEAD AT");
                foreach (var d in result.DeadLetters)
                {
                    table.Row(d.Id, d.Group, d.MessageId, Tables.Number(d.Attempts), Cut(d.Error), Tables.Time(d.DeadAt));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get()
    {
        var ns = NamespaceOption();
        var queue = QueueArgument();
        var id = IdArgument();
        var command = new Command("get", "Show one dead letter with its payload (text when it is UTF-8, else base64)") { queue, id, ns };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var request = new GetDeadLetterRequest { Namespace = parse.GetValue(ns)!, Queue = parse.GetValue(queue)!, Id = parse.GetValue(id)! };
            var letter = (await context.Admin.CallAsync((c, o) => c.GetDeadLetterAsync(request, o), cancellation)).DeadLetter;
            context.Output.Write(letter, () => Details(letter));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Replay()
    {
        var ns = NamespaceOption();
        var queue = QueueArgument();
        var id = IdArgument();
        var command = new Command("replay", "Put a dead letter back on its queue as a new message (every group gets it) and remove it from the dead letters")
        {
            queue, id, ns,
        };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var request = new ReplayDeadLetterRequest { Namespace = parse.GetValue(ns)!, Queue = parse.GetValue(queue)!, Id = parse.GetValue(id)! };
            var response = await context.Admin.CallAsync((c, o) => c.ReplayDeadLetterAsync(request, o), cancellation);
            context.Output.Write(response, () => new Text($"Replayed dead letter {request.Id} on queue {request.Queue} as message {response.MessageId}.\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Purge()
    {
        var ns = NamespaceOption();
        var queue = QueueArgument();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed when stdin is not a terminal)" };
        var command = new Command("purge", "Remove every dead letter of a queue") { queue, ns, yes };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var request = new PurgeDeadLettersRequest { Namespace = parse.GetValue(ns)!, Queue = parse.GetValue(queue)! };
            if (!parse.GetValue(yes) && !await ConfirmAsync(context, $"Remove every dead letter of queue {request.Queue} in namespace {request.Namespace}?", cancellation))
            {
                context.Notice("prismctl: nothing purged");
                return ExitCodes.Ok;
            }

            var response = await context.Admin.CallAsync((c, o) => c.PurgeDeadLettersAsync(request, o), cancellation);
            context.Output.Write(response, () => new Text($"Purged {response.Purged} dead letter(s) of queue {request.Queue}.\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<bool> ConfirmAsync(CommandContext context, string question, CancellationToken cancellation)
    {
        if (Console.IsInputRedirected || !context.Terminal.ErrorIsTerminal)
        {
            throw CliException.Usage("purge removes every dead letter of the queue: pass --yes to confirm (there is no terminal to ask on)");
        }

        return await context.Terminal.Error.PromptAsync(new ConfirmationPrompt(Markup.Escape(question)) { DefaultValue = false }, cancellation);
    }

    private static Table Details(DeadLetter d) => Tables.Fields(
    [
        ("id", d.Id),
        ("queue", d.Queue),
        ("group", d.Group),
        ("message id", d.MessageId),
        ("attempts", Tables.Number(d.Attempts)),
        ("error", d.Error),
        ("enqueued at", Tables.Time(d.EnqueuedAt)),
        ("dead at", Tables.Time(d.DeadAt)),
        ("publisher", d.PublisherSubject),
        ("publisher client", d.PublisherClientId),
        ("session", d.SessionId),
        ("traceparent", d.Traceparent),
        .. d.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => ($"metadata {m.Key}", (string?)m.Value)),
        Payload(d),
    ]);

    /// <summary>The payload as text when it is valid UTF-8, else as base64 (named so).</summary>
    internal static (string Name, string? Value) Payload(DeadLetter d)
    {
        try
        {
            return ("payload", StrictUtf8.GetString(d.Payload.Span));
        }
        catch (DecoderFallbackException)
        {
            return ("payload (base64)", d.Payload.ToBase64());
        }
    }

    /// <summary>An error cut to <see cref="ErrorColumnWidth"/> characters on one line, with an ellipsis when cut.</summary>
    internal static string Cut(string error)
    {
        var line = error.ReplaceLineEndings(" ");
        return line.Length <= ErrorColumnWidth ? line : line[..(ErrorColumnWidth - 1)] + "…";
    }
}
