using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prism.Admin.V1;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>
/// Editing one namespace: the form shows its whole state (slots, access groups, quotas, queue settings, labels)
/// and saving sends it with the version it was read at, so a change made meanwhile is refused, not overwritten.
/// </summary>
internal static class NamespaceEditPages
{
    private const string Section = "/namespaces";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/namespaces/{name}/edit", async (HttpContext http, AdminChannel admin, string name) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.GetNamespaceAsync(new GetNamespaceRequest { Name = name }, o));
            var body = result.Value is { } response ? Panel(page, "", response.Namespace) : $"<section id=\"namespace-edit\">{Failure(result.Failure)}</section>";
            return PageResponse.Panel(page, Title(name), Section, body, result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/namespaces/{name}/edit", async (HttpContext http, AdminChannel admin, string name) =>
        {
            var page = PageContext.For(http);
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var draft = new Namespace { Name = name };
            AdminFailure? failure;
            try
            {
                Read(form, draft);
                var result = await admin.CallAsync(http, (c, o) => c.UpdateNamespaceAsync(new UpdateNamespaceRequest { Namespace = draft }, o));
                if (result.Value is { } updated)
                {
                    return PageResponse.Panel(page, Title(name), Section,
                        Panel(page, Notice($"Namespace {name} updated (version {updated.Namespace.Version})."), updated.Namespace));
                }

                failure = result.Failure;
            }
            catch (FormFields.InvalidField e)
            {
                failure = e.Failure;
            }

            return PageResponse.Panel(page, Title(name), Section, Panel(page, Failure(failure), draft), failure!.HttpStatus);
        });
    }

    private static string Title(string name) => $"Namespace {name}";

    /// <summary>The whole desired state from the form; what the form leaves empty is cleared.</summary>
    private static void Read(IFormCollection form, Namespace draft)
    {
        draft.Version = FormFields.Number(form["version"], "Version") ?? 0;
        draft.Description = form["description"].ToString().Trim();
        draft.Patterns.AddRange(FormFields.List(form["patterns"]));
        draft.AccessGroups.AddRange(FormFields.List(form["access_groups"]));
        draft.Labels.Add(FormFields.Pairs(form["labels"], "Labels"));
        foreach (var (slot, instance) in FormFields.Pairs(form["slots"], "Slots"))
        {
            var dot = slot.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == slot.Length - 1)
            {
                throw new FormFields.InvalidField($"Slots: '{slot}' is not pattern.slot (for example keyvalue.store)");
            }

            var pattern = slot[..dot];
            if (!draft.Slots.TryGetValue(pattern, out var bindings))
            {
                draft.Slots[pattern] = bindings = new PatternSlots();
            }

            bindings.Bindings[slot[(dot + 1)..]] = instance;
            if (!draft.Patterns.Contains(pattern))
            {
                draft.Patterns.Add(pattern);
            }
        }

        draft.Quotas = new Quotas
        {
            MaxValueBytes = FormFields.Number(form["max_value_bytes"], "Largest value (bytes)") ?? 0,
            MaxRequestsPerSecond = (int)Math.Clamp(FormFields.Number(form["max_rps"], "Requests per second") ?? 0, int.MinValue, int.MaxValue),
        };
        draft.Queue = new QueueSettings();
        if (FormFields.Number(form["queue_max_in_flight"], "Queue: most in flight") is { } inFlight)
        {
            draft.Queue.MaxInFlight = (int)Math.Clamp(inFlight, int.MinValue, int.MaxValue);
        }

        if (FormFields.Number(form["queue_visibility_timeout_ms"], "Queue: visibility timeout (ms)") is { } visibility)
        {
            draft.Queue.VisibilityTimeoutMs = visibility;
        }

        if (FormFields.Number(form["queue_max_retries"], "Queue: most retries") is { } retries)
        {
            draft.Queue.MaxRetries = (int)Math.Clamp(retries, int.MinValue, int.MaxValue);
        }
    }

    private static string Panel(PageContext page, string message, Namespace ns)
    {
        var slots = ns.Slots.SelectMany(p => p.Value.Bindings.Select(b => new KeyValuePair<string, string>($"{p.Key}.{b.Key}", b.Value)));
        var queue = ns.Queue ?? new QueueSettings();
        string Optional(bool has, long value) => has ? value.ToString(CultureInfo.InvariantCulture) : "";
        // A refused draft carries no who/when: only a namespace as stored shows them.
        var meta = ns.CreatedAt is not null
            ? $"<p class=\"muted\" data-version=\"{ns.Version}\">Version {ns.Version}, created by {E(ns.CreatedBy)}, last updated by {E(ns.UpdatedBy)} at {Time(ns.UpdatedAt ?? ns.CreatedAt)} UTC. <a href=\"/namespaces/{U(ns.Name)}/edit\">Reload</a></p>"
            : "";
        return "<section id=\"namespace-edit\">" + message + meta
            + Form(page, $"/namespaces/{U(ns.Name)}/edit", "#namespace-edit",
                $"<input type=\"hidden\" name=\"version\" value=\"{ns.Version}\">"
                + "<fieldset><legend>Namespace</legend>"
                + $"<label>Description <input name=\"description\" size=\"50\" value=\"{E(ns.Description)}\"></label>"
                + $"<label>Patterns <input name=\"patterns\" placeholder=\"keyvalue, pubsub\" value=\"{E(string.Join(", ", ns.Patterns))}\"></label>"
                + $"<label>Access groups <input name=\"access_groups\" placeholder=\"team-a, team-b\" value=\"{E(string.Join(", ", ns.AccessGroups))}\"></label></fieldset>"
                + "<fieldset><legend>Slots</legend>"
                + $"<label>pattern.slot=backend per line<br><textarea name=\"slots\" rows=\"4\" cols=\"50\" placeholder=\"keyvalue.store=redis-cache\">{E(FormFields.Lines(slots))}</textarea></label>"
                + "<span class=\"muted\">a pattern with no slot bound uses memstore; backends are on the <a href=\"/backends\">Backends</a> page</span></fieldset>"
                + "<fieldset><legend>Quotas (0: server default)</legend>"
                + $"<label>Largest value (bytes) <input name=\"max_value_bytes\" inputmode=\"numeric\" value=\"{ns.Quotas?.MaxValueBytes ?? 0}\"></label>"
                + $"<label>Requests per second <input name=\"max_rps\" inputmode=\"numeric\" value=\"{ns.Quotas?.MaxRequestsPerSecond ?? 0}\"></label></fieldset>"
                + "<fieldset><legend>Queue (empty: server default)</legend>"
                + $"<label>Most in flight per member <input name=\"queue_max_in_flight\" inputmode=\"numeric\" placeholder=\"16\" value=\"{Optional(queue.HasMaxInFlight, queue.MaxInFlight)}\"></label>"
                + $"<label>Visibility timeout (ms) <input name=\"queue_visibility_timeout_ms\" inputmode=\"numeric\" placeholder=\"30000\" value=\"{Optional(queue.HasVisibilityTimeoutMs, queue.VisibilityTimeoutMs)}\"></label>"
                + $"<label>Most retries <input name=\"queue_max_retries\" inputmode=\"numeric\" placeholder=\"5\" value=\"{Optional(queue.HasMaxRetries, queue.MaxRetries)}\"></label></fieldset>"
                + "<fieldset><legend>Labels</legend>"
                + $"<label>key=value per line<br><textarea name=\"labels\" rows=\"3\" cols=\"50\">{E(FormFields.Lines(ns.Labels))}</textarea></label></fieldset>"
                + "<button type=\"submit\">Save</button> <a href=\"/namespaces\">Back to namespaces</a>")
            + "</section>";
    }
}
