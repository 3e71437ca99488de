using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Prism.Admin.V1;
using Prism.Cli.Output;

namespace Prism.Cli.Commands;

/// <summary><c>audit</c>: read (or follow) the audit log; <c>audit export</c>: archive it as JSON lines.</summary>
public static class AuditCommand
{
    /// <summary>The <c>audit</c> command.</summary>
    public static Command Create()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new entries until interrupted" };
        var actor = new Option<string?>("--actor") { Description = "Only entries of this actor (email or client id)" };
        var operation = new Option<string?>("--operation") { Description = "Only this operation, e.g. CreateNamespace" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only entries about this namespace" };
        var since = new Option<string?>("--since") { Description = "From this time: RFC 3339 or a duration ago (15m, 2h)" };
        var until = new Option<string?>("--until") { Description = "Up to this time: RFC 3339 or a duration ago" };
        var limit = new Option<int>("--limit") { Description = $"Show the newest N entries (default: the server's 100, at most {MaxLimit})" };
        var command = new Command("audit", "Show the newest audit entries, oldest of them first (admin:audit)") { follow, actor, operation, ns, since, until, limit };
        command.Subcommands.Add(CreateExport());
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var now = DateTimeOffset.UtcNow;
            var request = new GetAuditLogRequest
            {
                Actor = parse.GetValue(actor) ?? "",
                Operation = parse.GetValue(operation) ?? "",
                Namespace = parse.GetValue(ns) ?? "",
                Limit = parse.GetValue(limit),
                Follow = parse.GetValue(follow),
            };
            if (parse.GetValue(since) is { } from)
            {
                request.Since = Timestamp.FromDateTimeOffset(Durations.PointInTime(from, now, "--since"));
            }

            if (parse.GetValue(until) is { } to)
            {
                request.Until = Timestamp.FromDateTimeOffset(Durations.PointInTime(to, now, "--until"));
            }

            if (request.Limit < 0)
            {
                throw CliException.Usage("--limit must not be negative");
            }

            if (request.Limit > MaxLimit)
            {
                throw CliException.Usage($"--limit is at most {MaxLimit}; use 'prismctl audit export' for more");
            }

            if (request.Follow)
            {
                await context.Admin.StreamAsync((c, o) => c.GetAuditLog(request, o), entry => WriteLine(context.Output, entry), endless: true, cancellation);
                return ExitCodes.Ok;
            }

            // The newest entries, shown in the order they happened.
            request.NewestFirst = true;
            var entries = new List<AuditLogEntry>();
            await context.Admin.StreamAsync((c, o) => c.GetAuditLog(request, o), entries.Add, endless: false, cancellation);
            entries.Reverse();
            var document = new System.Text.Json.Nodes.JsonObject
            {
                ["entries"] = new System.Text.Json.Nodes.JsonArray([.. entries.Select(e => ResultWriter.ToJson(e))]),
            };
            context.Output.Write(document, () =>
            {
                var table = Tables.Create("TIME", "ACTOR", "ADDRESS", "OPERATION", "RESOURCE", "STATUS", "REQUEST ID");
                foreach (var e in entries)
                {
                    table.Row(Tables.Time(e.Timestamp), e.Actor, e.ClientAddress, e.Operation, Resource(e), e.StatusCode, e.RequestId);
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Most entries <c>audit --limit</c> shows; more is what <c>audit export</c> is for.</summary>
    public const int MaxLimit = 1000;

    private static Command CreateExport()
    {
        var since = new Option<string?>("--since") { Description = "From this time: RFC 3339 or a duration ago (720h, 30d); default: the oldest entry kept" };
        var until = new Option<string?>("--until") { Description = "Up to this time: RFC 3339 or a duration ago; default: now" };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Write to this file instead of stdout (replaced if it exists)" };
        var command = new Command("export", "Write every audit entry of a time range as JSON lines, oldest first, e.g. before retention prunes them (admin:audit)")
        {
            since, until, file,
        };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var now = DateTimeOffset.UtcNow;
            var request = new ExportAuditLogRequest();
            if (parse.GetValue(since) is { } from)
            {
                request.Since = Timestamp.FromDateTimeOffset(Durations.PointInTime(from, now, "--since"));
            }

            if (parse.GetValue(until) is { } to)
            {
                request.Until = Timestamp.FromDateTimeOffset(Durations.PointInTime(to, now, "--until"));
            }

            var target = parse.GetValue(file);
            await using var writer = target is null
                ? null
                : new StreamWriter(target.FullName, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            var output = writer ?? context.Terminal.Out.Profile.Out.Writer;
            long count = 0;
            await context.Admin.StreamAsync((c, o) => c.ExportAuditLog(request, o), entry =>
            {
                output.WriteLine(ResultWriter.JsonLineOf(entry));
                count++;
            }, endless: true, cancellation);
            if (target is not null)
            {
                await writer!.FlushAsync(cancellation);
                context.Notice($"exported {count} audit entries to {target.FullName}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteLine(ResultWriter output, AuditLogEntry entry)
    {
        if (output.IsTable)
        {
            output.Line($"{Tables.Time(entry.Timestamp)}  {entry.Actor}  {entry.ClientAddress}  {entry.Operation}  {Resource(entry)}  {entry.StatusCode}  {entry.RequestId}");
        }
        else
        {
            output.JsonLine(entry);
        }
    }

    private static string Resource(AuditLogEntry e) =>
        string.IsNullOrEmpty(e.ResourceId) ? e.ResourceType : $"{e.ResourceType}/{e.ResourceId}";
}
