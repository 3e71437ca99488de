using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Prism.Manifests;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>
/// Apply (as <c>prismctl apply -f</c>): the same YAML manifest (documents of kind Backend and Namespace), read by the
/// same reader, sent as one ApplyRequest that admin applies in one transaction or not at all; "Check only" sends it
/// with validate_only. The answer replaces only the result under the form, so the manifest (which may hold backend
/// secrets) is never sent back to the browser.
/// </summary>
internal static class ApplyPages
{
    private const string Title = "Apply";
    private const string Section = "/apply";

    /// <summary>What errors call the text of the form (prismctl names the file).</summary>
    private const string Source = "manifest";

    private const string Example = """
        kind: Namespace
        name: orders
        description: Orders service
        patterns:
          keyvalue: {store: memstore}
        access_groups: [team-orders]
        """;

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/apply", (HttpContext http) =>
        {
            var page = PageContext.For(http);
            return PageResponse.Panel(page, Title, Section, Editor(page) + Result(""));
        });
        pages.MapPost("/apply", async (HttpContext http, AdminChannel admin, [FromForm] string? manifest, [FromForm(Name = "validate_only")] string? validateOnly) =>
        {
            var page = PageContext.For(http);
            var (result, status) = await ApplyAsync(http, admin, manifest ?? "", validateOnly == "true");
            return PageResponse.Panel(page, Title, Section, page.IsPartial ? result : Editor(page) + result, status);
        });
    }

    private static async Task<(string Html, int Status)> ApplyAsync(HttpContext http, AdminChannel admin, string text, bool validateOnly)
    {
        // The console's own environment must never reach a backend: no ${VAR} expansion here.
        var read = ManifestReader.Read([new ManifestInput(Source, text)], environment: null);
        if (read.Manifest is not { } manifest)
        {
            var errors = string.Concat(read.Errors.Select(e => $"<li class=\"mono\">{E(e.ToString())}</li>"));
            return (Result($"<div class=\"error\" role=\"alert\" data-status=\"400\"><strong>The manifest is not valid; nothing was sent.</strong><ul>{errors}</ul></div>"),
                StatusCodes.Status400BadRequest);
        }

        var request = manifest.Request;
        if (request.Backends.Count + request.Namespaces.Count == 0)
        {
            return (Result(Failure(new AdminFailure("The manifest is not valid; nothing was sent.",
                "no Backend or Namespace documents (each document has kind: Backend or kind: Namespace, and a name)", StatusCodes.Status400BadRequest))),
                StatusCodes.Status400BadRequest);
        }

        request.ValidateOnly = validateOnly;
        var answer = await admin.CallAsync(http, (c, o) => c.ApplyAsync(request, o));
        if (answer.Value is not { } response)
        {
            var failure = answer.Failure!;
            return (Result(Failure(failure with { Detail = ManifestReader.Locate(failure.Detail, manifest.Origins) })), failure.HttpStatus);
        }

        var html = new StringBuilder(Notice(validateOnly
            ? $"Checked {response.Results.Count} object(s): admin would apply them as below (dry run, nothing was changed)."
            : $"Applied {response.Results.Count} object(s)."));
        html.Append(CultureInfo.InvariantCulture, $"<table data-dry-run=\"{(validateOnly ? "true" : "false")}\"><thead><tr><th>kind</th><th>name</th><th>action</th><th>version</th></tr></thead><tbody>");
        foreach (var r in response.Results)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-result=\"{E(r.Kind)}/{E(r.Name)}\"><td>{E(r.Kind)}</td><td><strong>{E(r.Name)}</strong></td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-action>{E(r.Action)}{(validateOnly ? " (dry run)" : "")}</td><td>{r.Version}</td></tr>");
        }

        return (Result(html.Append("</tbody></table>").ToString()), StatusCodes.Status200OK);
    }

    private static string Result(string inner) => $"<section id=\"apply-result\">{inner}</section>";

    private static string Editor(PageContext page) =>
        "<p class=\"muted\">The manifest <code>prismctl apply -f</code> reads: YAML documents of kind Backend or Namespace separated by <code>---</code>, "
        + "each the whole desired state of its name (fields left out are cleared, except backend secrets, which keep their stored value unless named). "
        + "Everything is applied in one transaction, or nothing. <code>${VAR}</code> is not expanded here: write secrets themselves. "
        + "<code>prismctl namespace get NAME -o yaml</code> and <code>prismctl backend get NAME -o yaml</code> print objects in this format.</p>"
        + Form(page, "/apply", "#apply-result",
            $"<label>Manifest<br><textarea name=\"manifest\" rows=\"20\" cols=\"100\" class=\"mono\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"{E(Example)}\"></textarea></label><br>"
            + "<button type=\"submit\">Apply</button> "
            + "<button type=\"submit\" name=\"validate_only\" value=\"true\">Check only (dry run)</button> "
            + "<span class=\"htmx-indicator muted\">applying…</span>");
}
