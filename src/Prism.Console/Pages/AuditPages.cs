using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>The audit log (admin:audit): the latest entries, newest first, with filters and older pages; an export of a time range (<see cref="AuditExport"/>).</summary>
internal static class AuditPages
{
    private const string Title = "Audit log";
    private const string Section = "/audit";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/audit", async (HttpContext http, AdminChannel admin, AuditPager pager,
            string? actor, string? operation, string? @namespace, long? before, DateTimeOffset? until) =>
        {
            var page = PageContext.For(http);
            var filter = new AuditFilter((actor ?? "").Trim(), (operation ?? "").Trim(), (@namespace ?? "").Trim());
            var cursor = before is { } sequence && until is { } time ? new AuditCursor(sequence, time) : null;
            try
            {
                var entries = await pager.PageAsync(http, filter, cursor);
                return PageResponse.Panel(page, Title, Section, Panel(filter, Table(filter, entries, cursor is not null)));
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Unauthenticated)
            {
                var failure = AdminFailure.From(e, admin.Address);
                return PageResponse.Panel(page, Title, Section, Panel(filter, Failure(failure)), failure.HttpStatus);
            }
        });
        pages.MapGet("/audit/export", AuditExport.DownloadAsync);
    }

    private static string Panel(AuditFilter filter, string content) =>
        "<section id=\"audit-panel\">"
        + "<form method=\"get\" action=\"/audit\" hx-get=\"/audit\" hx-target=\"#audit-panel\" hx-swap=\"outerHTML\" hx-push-url=\"true\">"
        + $"<label>Actor <input name=\"actor\" value=\"{E(filter.Actor)}\" placeholder=\"dev@local.prism\"></label>"
        + $"<label>Operation <input name=\"operation\" value=\"{E(filter.Operation)}\" placeholder=\"CreateNamespace\"></label>"
        + $"<label>Namespace <input name=\"namespace\" value=\"{E(filter.Namespace)}\"></label>"
        + "<button type=\"submit\">Show</button></form>"
        + AuditExport.Form
        + content + "</section>";

    private static string Table(AuditFilter filter, AuditPage page, bool paged)
    {
        var html = new StringBuilder("<table><thead><tr><th>time (UTC)</th><th>actor</th><th>address</th><th>operation</th><th>resource</th><th>namespace</th><th>status</th><th>error</th><th>request id</th></tr></thead><tbody>");
        foreach (var e in page.Entries)
        {
            var resource = string.IsNullOrEmpty(e.ResourceId) ? e.ResourceType : $"{e.ResourceType}/{e.ResourceId}";
            html.Append(CultureInfo.InvariantCulture, $"<tr data-sequence=\"{e.Sequence}\"><td class=\"mono\">{Time(e.Timestamp)}</td><td>{E(e.Actor)}</td><td class=\"mono\">{E(e.ClientAddress)}</td><td>{E(e.Operation)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(resource)}</td><td>{E(e.Namespace)}</td><td>{E(e.StatusCode)}</td><td>{E(e.Error)}</td><td class=\"mono\">{E(e.RequestId)}</td></tr>");
        }

        if (page.Entries.Count == 0)
        {
            html.Append("<tr><td colspan=\"9\" class=\"muted\">No entries.</td></tr>");
        }

        html.Append("</tbody></table><p>");
        if (paged)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"{Link(filter, null)}\" hx-get=\"{Link(filter, null)}\" hx-target=\"#audit-panel\" hx-swap=\"outerHTML\" hx-push-url=\"true\">Latest entries</a> ");
        }

        if (page.Older is { } older)
        {
            var link = Link(filter, older);
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"{link}\" hx-get=\"{link}\" hx-target=\"#audit-panel\" hx-swap=\"outerHTML\" hx-push-url=\"true\">Older entries</a>");
        }

        return html.Append("</p>").ToString();
    }

    private static string Link(AuditFilter filter, AuditCursor? cursor)
    {
        var query = new List<string>();
        foreach (var (key, value) in new[] { ("actor", filter.Actor), ("operation", filter.Operation), ("namespace", filter.Namespace) })
        {
            if (value.Length > 0)
            {
                query.Add($"{key}={U(value)}");
            }
        }

        if (cursor is not null)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"before={cursor.BeforeSequence}"));
            query.Add("until=" + U(cursor.Until.ToString("O", CultureInfo.InvariantCulture)));
        }

        return E("/audit" + (query.Count == 0 ? "" : "?" + string.Join("&", query)));
    }
}
