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

/// <summary>
/// Named backends: create, edit (<see cref="BackendEditPages"/>) and delete instances (secrets are written, never shown back), and their health.
/// The health table (a round trip to every backend, up to the admin's health timeout) is fetched by htmx
/// when the page has loaded, and again on demand.
/// </summary>
internal static class BackendPages
{
    private const string Title = "Backends";
    private const string Section = "/backends";

    private const string PendingStatus = "<section id=\"backend-status\" hx-get=\"/backends/status\" hx-trigger=\"load\" hx-swap=\"outerHTML\">"
        + "<p class=\"muted\">Checking every backend… <noscript><a href=\"/backends/status\">show the health table</a></noscript></p></section>";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/backends", async (HttpContext http, AdminChannel admin) =>
        {
            var page = PageContext.For(http);
            return PageResponse.Panel(page, Title, Section, await InstancesAsync(page, admin, "", null) + PendingStatus);
        });
        pages.MapGet("/backends/status", async (HttpContext http, AdminChannel admin) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.GetBackendStatusAsync(new GetBackendStatusRequest(), o));
            return PageResponse.Panel(page, Title, Section, Status(result), result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/backends", async (HttpContext http, AdminChannel admin,
            [FromForm] string? name, [FromForm] string? type, [FromForm] string? description, [FromForm] string? settings, [FromForm] string? secrets) =>
        {
            var page = PageContext.For(http);
            var draft = new Backend { Name = (name ?? "").Trim(), Type = (type ?? "").Trim(), Description = (description ?? "").Trim() };
            AdminFailure? failure;
            try
            {
                draft.Settings.Add(FormFields.Pairs(settings, "Settings"));
                var wanted = draft.Clone();
                wanted.Secrets.Add(FormFields.Pairs(secrets, "Secrets", secret: true));
                failure = (await admin.CallAsync(http, (c, o) => c.CreateBackendAsync(new CreateBackendRequest { Backend = wanted }, o))).Failure;
            }
            catch (FormFields.InvalidField e)
            {
                failure = e.Failure;
            }

            var message = failure is null ? Notice($"Backend {draft.Name} created.") : Failure(failure);
            return PageResponse.Panel(page, Title, Section, await InstancesAsync(page, admin, message, failure is null ? null : draft),
                failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/backends/{name}/delete", async (HttpContext http, AdminChannel admin, string name, [FromForm] long? version) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.DeleteBackendAsync(new DeleteBackendRequest { Name = name, Version = version ?? 0 }, o));
            var message = result.Failure is null ? Notice($"Backend {name} deleted.") : Failure(result.Failure);
            return PageResponse.Panel(page, Title, Section, await InstancesAsync(page, admin, message, null), result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
    }

    /// <summary>The create form and the instances; <paramref name="draft"/> refills the form after a refusal (never its secrets).</summary>
    private static async Task<string> InstancesAsync(PageContext page, AdminChannel admin, string message, Backend? draft)
    {
        var html = new StringBuilder("<section id=\"backends-panel\">").Append(message)
            .Append(Form(page, "/backends", "#backends-panel",
                "<fieldset><legend>New backend instance</legend>"
                + $"<label>Name <input name=\"name\" required maxlength=\"63\" placeholder=\"redis-cache\" value=\"{E(draft?.Name)}\"></label>"
                + $"<label>Type <input name=\"type\" required placeholder=\"redis\" value=\"{E(draft?.Type)}\"></label>"
                + $"<label>Description <input name=\"description\" size=\"30\" value=\"{E(draft?.Description)}\"></label><br>"
                + $"<label>Settings (key=value per line)<br><textarea name=\"settings\" rows=\"3\" cols=\"40\" placeholder=\"path=/var/lib/prism/kv.db\">{E(FormFields.Lines(draft?.Settings ?? []))}</textarea></label>"
                + "<label>Secrets (key=value per line, write-only)<br><textarea name=\"secrets\" rows=\"3\" cols=\"40\" autocomplete=\"off\" placeholder=\"url=redis://user:pass@host:6379\"></textarea></label><br>"
                + "<button type=\"submit\">Create</button> <span class=\"muted\">admin tries the connection before storing it</span></fieldset>"));
        var result = await admin.CallAsync(page.Http, (c, o) => c.ListBackendsAsync(new ListBackendsRequest(), o));
        if (result.Value is not { } response)
        {
            return html.Append(Failure(result.Failure)).Append("</section>").ToString();
        }

        html.Append("<table><thead><tr><th>instance</th><th>type</th><th>source</th><th>endpoint</th><th>settings</th><th>secrets set</th><th>version</th><th></th></tr></thead><tbody>");
        foreach (var b in response.Backends)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-instance=\"{E(b.Name)}\"><td><strong>{E(b.Name)}</strong><br><span class=\"muted\">{E(b.Description)}</span></td><td>{E(b.Type)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(b.Source)}</td><td class=\"mono\">{E(b.Endpoint)}</td><td class=\"mono\">{E(FormFields.Lines(b.Settings))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(string.Join(", ", b.SecretsSet))}</td><td>{b.Version}</td><td>");
            if (b.Source == "api")
            {
                html.Append(CultureInfo.InvariantCulture, $"<a href=\"/backends/{U(b.Name)}/edit\">Edit</a> ").Append(Form(page, $"/backends/{U(b.Name)}/delete", "#backends-panel",
                    $"<input type=\"hidden\" name=\"version\" value=\"{b.Version}\"><button type=\"submit\">Delete</button>",
                    confirm: $"Delete backend {b.Name}?", cssClass: "inline"));
            }
            else
            {
                html.Append("<span class=\"muted\">from configuration</span>");
            }

            html.Append("</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Status(AdminResult<GetBackendStatusResponse> result)
    {
        var html = new StringBuilder("<section id=\"backend-status\"><h2>Health</h2>")
            .Append("<p><button type=\"button\" hx-get=\"/backends/status\" hx-target=\"#backend-status\" hx-swap=\"outerHTML\">Check again</button> ")
            .Append("<span class=\"htmx-indicator muted\">checking…</span></p>");
        if (result.Value is not { } response)
        {
            return html.Append(Failure(result.Failure)).Append("</section>").ToString();
        }

        html.Append("<table><thead><tr><th>backend</th><th>type</th><th>source</th><th>endpoint</th><th>capabilities</th><th>health</th><th>latency</th><th>error</th><th>checked (UTC)</th></tr></thead><tbody>");
        foreach (var s in response.Statuses)
        {
            var health = s.Health.ToString().ToUpperInvariant();
            html.Append(CultureInfo.InvariantCulture, $"<tr data-backend=\"{E(s.Backend?.Name)}\"><td><strong>{E(s.Backend?.Name)}</strong></td><td>{E(s.Backend?.Type)}</td><td>{E(s.Backend?.Source)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"mono\">{E(s.Backend?.Endpoint)}</td><td>{E(string.Join(", ", s.Backend?.Capabilities ?? []))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"{health}\" data-health=\"{health}\">{health}</td><td>{s.LatencyMicros / 1000.0:0.##} ms</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(s.Error)}</td><td class=\"mono\">{Time(s.CheckedAt)}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }
}
