using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prism.Admin.V1;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>
/// Editing one stored backend instance (as <c>prismctl backend update</c>): description, settings and labels are the
/// whole desired state, sent with the version read. Secrets are write-only: a secret not named keeps its stored
/// value, a value given replaces it, and only its Remove box clears it (an empty value is refused, never a removal
/// by accident). The type cannot change.
/// </summary>
internal static class BackendEditPages
{
    private const string Section = "/backends";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/backends/{name}/edit", async (HttpContext http, AdminChannel admin, string name) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.GetBackendAsync(new GetBackendRequest { Name = name }, o));
            var body = result.Value is { } response ? Panel(page, "", response.Backend) : $"<section id=\"backend-edit\">{Failure(result.Failure)}</section>";
            return PageResponse.Panel(page, Title(name), Section, body, result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/backends/{name}/edit", async (HttpContext http, AdminChannel admin, string name) =>
        {
            var page = PageContext.For(http);
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var validateOnly = form["validate_only"] == "true";
            var draft = new Backend { Name = name };
            AdminFailure? failure;
            try
            {
                var removed = Read(form, draft);
                var wanted = draft.Clone();
                wanted.Secrets.Add(Secrets(form["secrets"], removed));
                var result = await admin.CallAsync(http, (c, o) =>
                    c.UpdateBackendAsync(new UpdateBackendRequest { Backend = wanted, ValidateOnly = validateOnly }, o));
                if (result.Value is { } updated)
                {
                    var notice = validateOnly
                        ? $"Backend {name} checked: admin would store this (nothing was changed)."
                        : updated.Backend.Version == draft.Version
                            ? $"Backend {name} unchanged (version {updated.Backend.Version})."
                            : $"Backend {name} updated (version {updated.Backend.Version}).";
                    // A check shows the form as it was filled in; a save, what admin stored.
                    var shown = validateOnly ? draft : updated.Backend;
                    shown.SecretsSet.Clear();
                    shown.SecretsSet.Add(updated.Backend.SecretsSet);
                    return PageResponse.Panel(page, Title(name), Section, Panel(page, Notice(notice), shown));
                }

                failure = result.Failure;
            }
            catch (FormFields.InvalidField e)
            {
                failure = e.Failure;
            }

            draft.SecretsSet.Add(form["secrets_set"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!));
            return PageResponse.Panel(page, Title(name), Section, Panel(page, Failure(failure), draft), failure!.HttpStatus);
        });
    }

    private static string Title(string name) => $"Backend {name}";

    /// <summary>Everything but the secrets from the form; returns the secrets whose Remove box is ticked.</summary>
    private static HashSet<string> Read(IFormCollection form, Backend draft)
    {
        draft.Version = FormFields.Number(form["version"], "Version") ?? 0;
        draft.Type = form["type"].ToString().Trim();
        draft.Description = form["description"].ToString().Trim();
        draft.Settings.Add(FormFields.Pairs(form["settings"], "Settings"));
        draft.Labels.Add(FormFields.Pairs(form["labels"], "Labels"));
        return form["remove_secret"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The secrets to send: new values, and an empty value for each one to remove.</summary>
    private static Dictionary<string, string> Secrets(string? text, HashSet<string> removed)
    {
        var secrets = FormFields.Pairs(text, "Secrets", secret: true);
        var lines = (text ?? "").Split('\n');
        foreach (var (key, value) in secrets)
        {
            if (value.Length == 0)
            {
                var line = Array.FindIndex(lines, l => l.Trim().StartsWith(key + "=", StringComparison.Ordinal)) + 1;
                throw new FormFields.InvalidField(
                    $"Secrets, line {line}: '{key}' has no value; a secret left out keeps its stored value, and its Remove box removes it");
            }

            if (removed.Contains(key))
            {
                throw new FormFields.InvalidField($"Secrets: '{key}' is both given a new value and ticked for removal");
            }
        }

        foreach (var key in removed)
        {
            secrets[key] = "";
        }

        return secrets;
    }

    private static string Panel(PageContext page, string message, Backend backend)
    {
        var meta = backend.CreatedAt is not null
            ? $"<p class=\"muted\" data-version=\"{backend.Version}\">Version {backend.Version}, type {E(backend.Type)}, created by {E(backend.CreatedBy)}, last updated by {E(backend.UpdatedBy)} at {Time(backend.UpdatedAt ?? backend.CreatedAt)} UTC. <a href=\"/backends/{U(backend.Name)}/edit\">Reload</a></p>"
            : "";
        if (backend.Source == "config")
        {
            return "<section id=\"backend-edit\">" + message + meta
                + "<p class=\"muted\">This instance comes from the configuration (PRISM_* settings or the configuration file); change it there. <a href=\"/backends\">Back to backends</a></p></section>";
        }

        var secrets = backend.SecretsSet.Count == 0
            ? "<span class=\"muted\">no secret is set</span>"
            : string.Concat(backend.SecretsSet.Select(s =>
                $"<input type=\"hidden\" name=\"secrets_set\" value=\"{E(s)}\"><label data-secret=\"{E(s)}\"><input type=\"checkbox\" name=\"remove_secret\" value=\"{E(s)}\"> Remove {E(s)}</label>"));
        return "<section id=\"backend-edit\">" + message + meta
            + Form(page, $"/backends/{U(backend.Name)}/edit", "#backend-edit",
                $"<input type=\"hidden\" name=\"version\" value=\"{backend.Version.ToString(CultureInfo.InvariantCulture)}\">"
                + $"<input type=\"hidden\" name=\"type\" value=\"{E(backend.Type)}\">"
                + "<fieldset><legend>Instance</legend>"
                + $"<label>Type <input value=\"{E(backend.Type)}\" disabled title=\"the type of an instance cannot change\"></label>"
                + $"<label>Description <input name=\"description\" size=\"50\" value=\"{E(backend.Description)}\"></label><br>"
                + $"<label>Settings (key=value per line)<br><textarea name=\"settings\" rows=\"4\" cols=\"50\">{E(FormFields.Lines(backend.Settings))}</textarea></label>"
                + $"<label>Labels (key=value per line)<br><textarea name=\"labels\" rows=\"4\" cols=\"40\">{E(FormFields.Lines(backend.Labels))}</textarea></label></fieldset>"
                + "<fieldset><legend>Secrets (write-only: never shown)</legend>"
                + "<label>New values, key=value per line; a secret not named here keeps its stored value<br>"
                + "<textarea name=\"secrets\" rows=\"3\" cols=\"50\" autocomplete=\"off\" placeholder=\"url=redis://user:pass@host:6379\"></textarea></label><br>"
                + $"Stored: {secrets}</fieldset>"
                + "<button type=\"submit\">Save</button> "
                + "<button type=\"submit\" name=\"validate_only\" value=\"true\">Check only</button> "
                + "<span class=\"muted\">admin tries the connection before storing it</span> <a href=\"/backends\">Back to backends</a>")
            + "</section>";
    }
}
