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

/// <summary>Namespaces: list (with htmx refresh and paging), create, delete.</summary>
internal static class NamespacePages
{
    private const string Title = "Namespaces";
    private const string Section = "/namespaces";
    private const int PageSize = 50;

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/namespaces", async (HttpContext http, AdminChannel admin) =>
        {
            var page = PageContext.For(http);
            return PageResponse.Panel(page, Title, Section, Panel(page, "", await ListAsync(page, admin, null), null));
        });
        pages.MapGet("/namespaces/list", async (HttpContext http, AdminChannel admin, [FromQuery(Name = "page_token")] string? pageToken) =>
        {
            var page = PageContext.For(http);
            return Results.Content(await ListAsync(page, admin, pageToken), PageResponse.HtmlType);
        });
        pages.MapPost("/namespaces", async (HttpContext http, AdminChannel admin,
            [FromForm] string? name, [FromForm] string? description, [FromForm(Name = "access_groups")] string? accessGroups) =>
        {
            var page = PageContext.For(http);
            var draft = new Namespace { Name = (name ?? "").Trim(), Description = (description ?? "").Trim() };
            draft.AccessGroups.AddRange((accessGroups ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            var result = await admin.CallAsync(http, (c, o) => c.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = draft }, o));
            var message = result.Failure is null ? Notice($"Namespace {draft.Name} created.") : Failure(result.Failure);
            return PageResponse.Panel(page, Title, Section, Panel(page, message, await ListAsync(page, admin, null), result.Failure is null ? null : draft),
                result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/namespaces/{name}/delete", async (HttpContext http, AdminChannel admin, string name, [FromForm] long? version) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.DeleteNamespaceAsync(new DeleteNamespaceRequest { Name = name, Version = version ?? 0 }, o));
            var message = result.Failure is null ? Notice($"Namespace {name} deleted.") : Failure(result.Failure);
            return PageResponse.Panel(page, Title, Section, Panel(page, message, await ListAsync(page, admin, null), null),
                result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
    }

    /// <summary>The create form and the list; <paramref name="draft"/> refills the form after a refusal.</summary>
    private static string Panel(PageContext page, string message, string list, Namespace? draft) =>
        "<section id=\"namespaces-panel\">" + message
        + Form(page, "/namespaces", "#namespaces-panel",
            "<fieldset><legend>New namespace</legend>"
            + $"<label>Name <input name=\"name\" required maxlength=\"63\" placeholder=\"orders\" value=\"{E(draft?.Name)}\"></label>"
            + $"<label>Description <input name=\"description\" size=\"40\" value=\"{E(draft?.Description)}\"></label>"
            + $"<label>Access groups <input name=\"access_groups\" placeholder=\"team-a, team-b\" value=\"{E(string.Join(", ", draft?.AccessGroups ?? []))}\"></label>"
            + "<button type=\"submit\">Create</button></fieldset>")
        + list + "</section>";

    private static async Task<string> ListAsync(PageContext page, AdminChannel admin, string? pageToken)
    {
        var result = await admin.CallAsync(page.Http, (c, o) =>
            c.ListNamespacesAsync(new ListNamespacesRequest { PageSize = PageSize, PageToken = pageToken ?? "" }, o));
        var html = new StringBuilder("<div id=\"namespace-list\">")
            .Append("<p><button type=\"button\" hx-get=\"/namespaces/list\" hx-target=\"#namespace-list\" hx-swap=\"outerHTML\">Refresh</button> ")
            .Append("<span class=\"htmx-indicator muted\">loading…</span></p>");
        if (result.Value is not { } response)
        {
            return html.Append(Failure(result.Failure)).Append("</div>").ToString();
        }

        html.Append("<table><thead><tr><th>name</th><th>description</th><th>patterns</th><th>slots</th><th>access groups</th>")
            .Append("<th>version</th><th>created by</th><th>updated (UTC)</th><th></th></tr></thead><tbody>");
        foreach (var ns in response.Namespaces)
        {
            var backends = string.Join(", ", ns.Slots.OrderBy(p => p.Key, StringComparer.Ordinal)
                .SelectMany(p => p.Value.Bindings.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{p.Key}.{b.Key}→{b.Value}")));
            html.Append(CultureInfo.InvariantCulture, $"<tr data-namespace=\"{E(ns.Name)}\"><td><strong>{E(ns.Name)}</strong></td><td>{E(ns.Description)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(string.Join(", ", ns.Patterns))}</td><td>{E(backends)}</td><td>{E(string.Join(", ", ns.AccessGroups))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{ns.Version}</td><td>{E(ns.CreatedBy)}</td><td class=\"mono\">{Time(ns.UpdatedAt ?? ns.CreatedAt)}</td><td>")
                .Append(CultureInfo.InvariantCulture, $"<a href=\"/namespaces/{U(ns.Name)}/edit\">Edit</a> ")
                .Append(Form(page, $"/namespaces/{U(ns.Name)}/delete", "#namespaces-panel",
                    $"<input type=\"hidden\" name=\"version\" value=\"{ns.Version}\"><button type=\"submit\">Delete</button>",
                    confirm: $"Delete namespace {ns.Name}?", cssClass: "inline"))
                .Append("</td></tr>");
        }

        if (response.Namespaces.Count == 0)
        {
            html.Append("<tr><td colspan=\"9\" class=\"muted\">No namespaces yet.</td></tr>");
        }

        html.Append("</tbody></table>");
        if (!string.IsNullOrEmpty(response.NextPageToken))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p><button type=\"button\" hx-get=\"/namespaces/list?page_token={U(response.NextPageToken)}\" hx-target=\"#namespace-list\" hx-swap=\"outerHTML\">Next page</button></p>");
        }

        return html.Append("</div>").ToString();
    }
}
