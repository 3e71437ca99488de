using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Prism.Admin.V1;
using Prism.Cli.Output;

namespace Prism.Cli.Commands;

/// <summary><c>audit</c>: read (or follow) the audit log.</summary>
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
        var limit = new Option<int>("--limit") { Description = "Most entries (default: the server's 100)" };
        var command = new Command("audit", "Show the audit log (admin:audit)") { follow, actor, operation, ns, since, until, limit };
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

            if (request.Follow)
            {
                await context.Admin.StreamAsync((c, o) => c.GetAuditLog(request, o), entry => WriteLine(context.Output, entry), endless: true, cancellation);
                return ExitCodes.Ok;
            }

            var entries = new List<AuditLogEntry>();
            await context.Admin.StreamAsync((c, o) => c.GetAuditLog(request, o), entries.Add, endless: false, cancellation);
            var document = new System.Text.Json.Nodes.JsonObject
            {
                ["entries"] = new System.Text.Json.Nodes.JsonArray([.. entries.Select(e => ResultWriter.ToJson(e))]),
            };
            context.Output.Write(document, () =>
            {
                var table = Tables.Create("TIME", "ACTOR", "OPERATION", "RESOURCE", "STATUS", "REQUEST ID");
                foreach (var e in entries)
                {
                    table.Row(Tables.Time(e.Timestamp), e.Actor, e.Operation, Resource(e), e.StatusCode, e.RequestId);
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteLine(ResultWriter output, AuditLogEntry entry)
    {
        if (output.IsTable)
        {
            output.Line($"{Tables.Time(entry.Timestamp)}  {entry.Actor}  {entry.Operation}  {Resource(entry)}  {entry.StatusCode}  {entry.RequestId}");
        }
        else
        {
            output.JsonLine(entry);
        }
    }

    private static string Resource(AuditLogEntry e) =>
        string.IsNullOrEmpty(e.ResourceId) ? e.ResourceType : $"{e.ResourceType}/{e.ResourceId}";
}
