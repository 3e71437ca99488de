using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Prism.Admin.V1;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>Sessions of data-plane clients: list (active, or every one), terminate one, or every one of an identity.</summary>
internal static class SessionPages
{
    private const string Title = "Sessions";
    private const string Section = "/sessions";
    private const int PageSize = 50;

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/sessions", async (HttpContext http, AdminChannel admin, bool? inactive, [FromQuery(Name = "page_token")] string? pageToken) =>
        {
            var page = PageContext.For(http);
            return PageResponse.Panel(page, Title, Section, await PanelAsync(page, admin, "", inactive ?? false, pageToken));
        });
        pages.MapPost("/sessions/{id}/terminate", async (HttpContext http, AdminChannel admin, string id, [FromForm] string? reason) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) =>
                c.TerminateSessionAsync(new TerminateSessionRequest { Id = id, Reason = (reason ?? "").Trim() }, o));
            var message = result.Failure is null ? Notice($"Session {id} terminated.") : Failure(result.Failure);
            return PageResponse.Panel(page, Title, Section, await PanelAsync(page, admin, message, false, null),
                result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/sessions/terminate-identity", async (HttpContext http, AdminChannel admin, [FromForm] string? identity, [FromForm] string? reason) =>
        {
            var page = PageContext.For(http);
            var who = (identity ?? "").Trim();
            var result = who.Length == 0
                ? new AdminResult<TerminateSessionResponse>(null, new AdminFailure("The request was not valid.",
                    "Identity: give the token subject, email or client id whose sessions to terminate", StatusCodes.Status400BadRequest))
                : await admin.CallAsync(http, (c, o) =>
                    c.TerminateSessionAsync(new TerminateSessionRequest { Identity = who, Reason = (reason ?? "").Trim() }, o));
            var message = result.Value is { } response
                ? Notice($"Terminated {response.Sessions.Count} active session(s) of {who}; its tokens issued until now are refused.")
                : Failure(result.Failure);
            return PageResponse.Panel(page, Title, Section, await PanelAsync(page, admin, message, false, null),
                result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
    }

    private static async Task<string> PanelAsync(PageContext page, AdminChannel admin, string message, bool inactive, string? pageToken)
    {
        var result = await admin.CallAsync(page.Http, (c, o) => c.ListSessionsAsync(
            new ListSessionsRequest { PageSize = PageSize, PageToken = pageToken ?? "", IncludeInactive = inactive }, o));
        var html = new StringBuilder("<section id=\"sessions-panel\">").Append(message)
            .Append("<form method=\"get\" action=\"/sessions\" hx-get=\"/sessions\" hx-target=\"#sessions-panel\" hx-swap=\"outerHTML\" hx-push-url=\"true\" hx-trigger=\"change, submit\">")
            .Append(CultureInfo.InvariantCulture, $"<label><input type=\"checkbox\" name=\"inactive\" value=\"true\"{(inactive ? " checked" : "")}> include terminated and closed sessions</label>")
            .Append("<button type=\"submit\">Refresh</button></form>")
            .Append(Form(page, "/sessions/terminate-identity", "#sessions-panel",
                "<fieldset><legend>Terminate every session of an identity</legend>"
                + "<label>Identity <input name=\"identity\" required size=\"30\" placeholder=\"token subject, email or client id\"></label>"
                + "<label>Reason <input name=\"reason\" size=\"24\"></label>"
                + "<button type=\"submit\">Terminate all</button> "
                + "<span class=\"muted\">in every namespace and on every proxy; the tokens it holds now stop working on every admin and proxy</span></fieldset>",
                confirm: "Terminate every session of this identity and refuse the tokens it holds now?"));
        if (result.Value is not { } response)
        {
            return html.Append(Failure(result.Failure)).Append("</section>").ToString();
        }

        html.Append("<table><thead><tr><th>id</th><th>identity</th><th>client</th><th>namespace</th><th>proxy</th><th>state</th>")
            .Append("<th>started (UTC)</th><th>last activity</th><th>requests</th><th>bytes in/out</th><th>backend credentials</th><th></th></tr></thead><tbody>");
        foreach (var s in response.Sessions)
        {
            var state = s.State.ToString().ToUpperInvariant();
            html.Append(CultureInfo.InvariantCulture, $"<tr data-session=\"{E(s.Id)}\"><td class=\"mono\">{E(s.Id)}</td><td>{E(s.Identity)}</td><td>{E(s.ClientId)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(s.Namespace)}</td><td class=\"mono\">{E(s.ProxyId)}</td><td>{E(state)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"mono\">{Time(s.StartedAt)}</td><td class=\"mono\">{Time(s.LastActivity)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{s.Requests}</td><td>{s.BytesIn} / {s.BytesOut}</td><td>")
                .AppendJoin("<br>", s.Leases.Select(l => $"<span class=\"mono\" data-lease=\"{E(l.Id)}\">{E(l.Backend)}: {E(l.Principal)} until {Time(l.ExpiresAt)}</span>"))
                .Append("</td><td>");
            if (s.State == SessionState.Active)
            {
                html.Append(Form(page, $"/sessions/{U(s.Id)}/terminate", "#sessions-panel",
                    "<input name=\"reason\" placeholder=\"reason\" size=\"12\"> <button type=\"submit\">Terminate</button>",
                    confirm: $"Terminate session {s.Id} of {s.Identity}?", cssClass: "inline"));
            }
            else
            {
                html.Append(CultureInfo.InvariantCulture, $"<span class=\"muted\">{E(s.TerminatedBy)} {E(s.TerminationReason)}</span>");
            }

            html.Append("</td></tr>");
        }

        if (response.Sessions.Count == 0)
        {
            html.Append("<tr><td colspan=\"12\" class=\"muted\">No sessions.</td></tr>");
        }

        html.Append("</tbody></table>");
        if (!string.IsNullOrEmpty(response.NextPageToken))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p><a href=\"/sessions?inactive={(inactive ? "true" : "false")}&amp;page_token={U(response.NextPageToken)}\">Next page</a></p>");
        }

        return html.Append("</section>").ToString();
    }
}
