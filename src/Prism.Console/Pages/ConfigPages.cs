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

/// <summary>Configs (as <c>prismctl config</c>): list, create, edit with the version read, delete.</summary>
internal static class ConfigPages
{
    private const string Title = "Configs";
    private const string Section = "/configs";
    private const int PageSize = 100;
    private static readonly string[] Formats = ["yaml", "json"];

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/configs", async (HttpContext http, AdminChannel admin, [FromQuery(Name = "page_token")] string? pageToken) =>
        {
            var page = PageContext.For(http);
            return PageResponse.Panel(page, Title, Section, await PanelAsync(page, admin, "", null, pageToken));
        });
        pages.MapPost("/configs", async (HttpContext http, AdminChannel admin, [FromForm] string? name, [FromForm] string? format,
            [FromForm] string? description, [FromForm] string? content) =>
        {
            var page = PageContext.For(http);
            var draft = new Config { Name = (name ?? "").Trim(), Format = (format ?? "yaml").Trim(), Description = (description ?? "").Trim(), Content = content ?? "" };
            var result = await admin.CallAsync(http, (c, o) => c.CreateConfigAsync(new CreateConfigRequest { Config = draft }, o));
            var message = result.Failure is null ? Notice($"Config {draft.Name} created.") : Failure(result.Failure);
            return PageResponse.Panel(page, Title, Section, await PanelAsync(page, admin, message, result.Failure is null ? null : draft, null),
                result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/configs/{name}/delete", async (HttpContext http, AdminChannel admin, string name, [FromForm] long? version) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.DeleteConfigAsync(new DeleteConfigRequest { Name = name, Version = version ?? 0 }, o));
            var message = result.Failure is null ? Notice($"Config {name} deleted.") : Failure(result.Failure);
            return PageResponse.Panel(page, Title, Section, await PanelAsync(page, admin, message, null, null), result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapGet("/configs/{name}/edit", async (HttpContext http, AdminChannel admin, string name) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.GetConfigAsync(new GetConfigRequest { Name = name }, o));
            var body = result.Value is { } response ? Editor(page, "", response.Config) : $"<section id=\"config-edit\">{Failure(result.Failure)}</section>";
            return PageResponse.Panel(page, $"Config {name}", Section, body, result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/configs/{name}/edit", async (HttpContext http, AdminChannel admin, string name, [FromForm] long? version,
            [FromForm] string? format, [FromForm] string? description, [FromForm] string? content) =>
        {
            var page = PageContext.For(http);
            var draft = new Config { Name = name, Version = version ?? 0, Format = (format ?? "yaml").Trim(), Description = (description ?? "").Trim(), Content = content ?? "" };
            var current = await admin.CallAsync(http, (c, o) => c.GetConfigAsync(new GetConfigRequest { Name = name }, o));
            if (current.Value is { } stored)
            {
                // The form does not edit labels: they stay as stored.
                draft.Labels.Add(stored.Config.Labels);
            }

            var result = await admin.CallAsync(http, (c, o) => c.UpdateConfigAsync(new UpdateConfigRequest { Config = draft }, o));
            var body = result.Value is { } updated
                ? Editor(page, Notice($"Config {name} updated (version {updated.Config.Version})."), updated.Config)
                : Editor(page, Failure(result.Failure), draft);
            return PageResponse.Panel(page, $"Config {name}", Section, body, result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
    }

    private static string FormatChoice(string? format) =>
        "<label>Format <select name=\"format\">"
        + string.Concat(Formats.Select(f => $"<option{(f == (format ?? "yaml") ? " selected" : "")}>{f}</option>"))
        + "</select></label>";

    private static async Task<string> PanelAsync(PageContext page, AdminChannel admin, string message, Config? draft, string? pageToken)
    {
        var html = new StringBuilder("<section id=\"configs-panel\">").Append(message)
            .Append(Form(page, "/configs", "#configs-panel",
                "<fieldset><legend>New config</legend>"
                + $"<label>Name <input name=\"name\" required maxlength=\"63\" value=\"{E(draft?.Name)}\"></label>"
                + FormatChoice(draft?.Format)
                + $"<label>Description <input name=\"description\" size=\"40\" value=\"{E(draft?.Description)}\"></label><br>"
                + $"<label>Content<br><textarea name=\"content\" rows=\"6\" cols=\"80\" class=\"mono\">\n{E(draft?.Content)}</textarea></label><br>"
                + "<button type=\"submit\">Create</button></fieldset>"));
        var result = await admin.CallAsync(page.Http, (c, o) => c.ListConfigsAsync(new ListConfigsRequest { PageSize = PageSize, PageToken = pageToken ?? "" }, o));
        if (result.Value is not { } response)
        {
            return html.Append(Failure(result.Failure)).Append("</section>").ToString();
        }

        html.Append("<table><thead><tr><th>name</th><th>format</th><th>description</th><th>version</th><th>updated by</th><th>updated (UTC)</th><th></th></tr></thead><tbody>");
        foreach (var config in response.Configs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-config=\"{E(config.Name)}\"><td><strong>{E(config.Name)}</strong></td><td>{E(config.Format)}</td><td>{E(config.Description)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{config.Version}</td><td>{E(string.IsNullOrEmpty(config.UpdatedBy) ? config.CreatedBy : config.UpdatedBy)}</td><td class=\"mono\">{Time(config.UpdatedAt ?? config.CreatedAt)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><a href=\"/configs/{U(config.Name)}/edit\">Edit</a> ")
                .Append(Form(page, $"/configs/{U(config.Name)}/delete", "#configs-panel",
                    $"<input type=\"hidden\" name=\"version\" value=\"{config.Version}\"><button type=\"submit\">Delete</button>",
                    confirm: $"Delete config {config.Name}?", cssClass: "inline"))
                .Append("</td></tr>");
        }

        if (response.Configs.Count == 0)
        {
            html.Append("<tr><td colspan=\"7\" class=\"muted\">No configs yet.</td></tr>");
        }

        html.Append("</tbody></table>");
        if (!string.IsNullOrEmpty(response.NextPageToken))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/configs?page_token={U(response.NextPageToken)}\">Next page</a></p>");
        }

        return html.Append("</section>").ToString();
    }

    private static string Editor(PageContext page, string message, Config config) =>
        "<section id=\"config-edit\">" + message
        + (config.Version > 0 ? $"<p class=\"muted\" data-version=\"{config.Version}\">Version {config.Version}. <a href=\"/configs/{U(config.Name)}/edit\">Reload</a></p>" : "")
        + Form(page, $"/configs/{U(config.Name)}/edit", "#config-edit",
            $"<input type=\"hidden\" name=\"version\" value=\"{config.Version}\">"
            + FormatChoice(config.Format)
            + $"<label>Description <input name=\"description\" size=\"50\" value=\"{E(config.Description)}\"></label><br>"
            + $"<label>Content<br><textarea name=\"content\" rows=\"16\" cols=\"100\" class=\"mono\">\n{E(config.Content)}</textarea></label><br>"
            + "<button type=\"submit\">Save</button> <a href=\"/configs\">Back to configs</a>")
        + "</section>";
}
