using System.CommandLine;
using Prism.Admin.V1;
using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>session list|get|terminate</c>.</summary>
public static class SessionCommands
{
    private const int PageSize = 100;

    /// <summary>The <c>session</c> command group.</summary>
    public static Command Create()
    {
        var group = new Command("session", "Data-plane sessions (terminate needs admin:operational)");
        group.Subcommands.Add(List());
        group.Subcommands.Add(Get());
        group.Subcommands.Add(Terminate());
        return group;
    }

    private static Command List()
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only sessions of this namespace" };
        var all = new Option<bool>("--all", "-a") { Description = "Include terminated and closed sessions" };
        var command = new Command("list", "List sessions") { ns, all };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var result = new ListSessionsResponse();
            var pageToken = "";
            do
            {
                var request = new ListSessionsRequest
                {
                    PageSize = PageSize,
                    PageToken = pageToken,
                    Namespace = parse.GetValue(ns) ?? "",
                    IncludeInactive = parse.GetValue(all),
                };
                var page = await context.Admin.CallAsync((c, o) => c.ListSessionsAsync(request, o), cancellation);
                result.Sessions.Add(page.Sessions);
                pageToken = page.NextPageToken;
            }
            while (pageToken.Length > 0);

            context.Output.Write(result, () =>
            {
                var table = Tables.Create("ID", "IDENTITY", "NAMESPACE", "STATE", "REQUESTS", "BYTES IN", "BYTES OUT", "LAST ACTIVITY", "LEASES");
                foreach (var s in result.Sessions)
                {
                    table.Row(s.Id, s.Identity, s.Namespace, State(s.State), Tables.Number(s.Requests), Tables.Number(s.BytesIn), Tables.Number(s.BytesOut), Tables.Time(s.LastActivity),
                        Tables.Number(s.Leases.Count));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get()
    {
        var id = new Argument<string>("id") { Description = "Session id" };
        var command = new Command("get", "Show one session") { id };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var session = (await context.Admin.CallAsync((c, o) => c.GetSessionAsync(new GetSessionRequest { Id = parse.GetValue(id) }, o), cancellation)).Session;
            context.Output.Write(session, () => Details(session));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Terminate()
    {
        var id = new Argument<string?>("id") { Description = "Session id (or --all-of-identity)", Arity = ArgumentArity.ZeroOrOne };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded and shown to the client)" };
        var identity = new Option<string?>("--all-of-identity")
        {
            Description = "Terminate every session of this identity (token subject, email or client id) in every namespace; its current tokens stop working on every admin and proxy",
        };
        var command = new Command("terminate", "Terminate a session, or every session of an identity") { id, reason, identity };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var sessionId = parse.GetValue(id);
            var all = parse.GetValue(identity);
            if (string.IsNullOrEmpty(sessionId) == string.IsNullOrEmpty(all))
            {
                throw CliException.Usage("give either a session id or --all-of-identity <subject>");
            }

            var request = new TerminateSessionRequest { Id = sessionId ?? "", Identity = all ?? "", Reason = parse.GetValue(reason) ?? "" };
            var response = await context.Admin.CallAsync((c, o) => c.TerminateSessionAsync(request, o), cancellation);
            if (all is not null)
            {
                context.Output.Write(response, () => new Text(
                    $"Terminated {response.Sessions.Count} active session(s) of {all}; its tokens issued until now are refused.\n"));
                return ExitCodes.Ok;
            }

            var session = response.Session;
            context.Output.Write(session, () => new Text($"Terminated session {session.Id} ({session.Identity}).\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table Details(Session s) => Tables.Fields(
    [
        ("id", s.Id),
        ("identity", s.Identity),
        ("client", s.ClientId),
        ("namespace", s.Namespace),
        ("proxy", s.ProxyId),
        ("state", State(s.State)),
        ("started", Tables.Time(s.StartedAt)),
        ("last activity", Tables.Time(s.LastActivity)),
        ("requests", Tables.Number(s.Requests)),
        ("bytes in", Tables.Number(s.BytesIn)),
        ("bytes out", Tables.Number(s.BytesOut)),
        ("terminated by", s.TerminatedBy),
        ("reason", s.TerminationReason),
        .. s.Leases.Select(l => ($"lease {l.Id}", (string?)$"{l.Backend}: {l.Principal} until {Tables.Time(l.ExpiresAt)}")),
    ]);

    private static string State(SessionState state) => state switch
    {
        SessionState.Active => "active",
        SessionState.Terminated => "terminated",
        SessionState.Closed => "closed",
        _ => "unknown",
    };
}
