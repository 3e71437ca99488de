using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Prism.Admin.V1;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>Draining the proxies (as <c>prismctl drain</c>): start a drain with a timeout and a message, or end one.</summary>
internal static class DrainPages
{
    private const string Title = "Drain";
    private const string Section = "/drain";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/drain", async (HttpContext http, AdminChannel admin) =>
        {
            var page = PageContext.For(http);
            // Admin reports whether a drain runs only as a metric; the deadline comes with the answer to a drain.
            var metrics = await admin.CallAsync(http, (c, o) => c.GetMetricsAsync(new GetMetricsRequest(), o));
            var state = metrics.Value is { } m
                ? m.Metrics.FirstOrDefault(x => x.Name == "prism_draining")?.Value == 1
                    ? "<p data-draining=\"on\"><strong>Draining</strong>: proxies accept no new sessions.</p>"
                    : "<p data-draining=\"off\"><strong>Not draining</strong>: proxies accept new sessions.</p>"
                : Failure(metrics.Failure);
            return PageResponse.Panel(page, Title, Section, Panel(page, state), metrics.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/drain", async (HttpContext http, AdminChannel admin,
            [FromForm(Name = "timeout_seconds")] string? timeoutSeconds, [FromForm] string? message, [FromForm] bool? cancel) =>
        {
            var page = PageContext.For(http);
            AdminFailure? failure;
            try
            {
                var timeout = FormFields.Number(timeoutSeconds, "Timeout (seconds)") ?? 0;
                var request = new DrainConnectionsRequest { TimeoutSeconds = (int)Math.Clamp(timeout, int.MinValue, int.MaxValue), Message = (message ?? "").Trim(), Cancel = cancel ?? false };
                var result = await admin.CallAsync(http, (c, o) => c.DrainConnectionsAsync(request, o));
                if (result.Value is { } response)
                {
                    var state = response.Draining
                        ? string.Create(CultureInfo.InvariantCulture, $"<p data-draining=\"on\"><strong>Draining</strong> until {Time(response.Deadline)} UTC; {response.ActiveSessions} active session(s).</p>")
                        : string.Create(CultureInfo.InvariantCulture, $"<p data-draining=\"off\"><strong>Drain ended</strong>: proxies accept new sessions; {response.ActiveSessions} active session(s).</p>");
                    return PageResponse.Panel(page, Title, Section, Panel(page, state));
                }

                failure = result.Failure;
            }
            catch (FormFields.InvalidField e)
            {
                failure = e.Failure;
            }

            return PageResponse.Panel(page, Title, Section, Panel(page, Failure(failure)), failure!.HttpStatus);
        });
    }

    private static string Panel(PageContext page, string state) =>
        "<section id=\"drain-panel\">" + state
        + Form(page, "/drain", "#drain-panel",
            "<fieldset><legend>Start a drain</legend>"
            + "<label>Timeout (seconds) <input name=\"timeout_seconds\" inputmode=\"numeric\" placeholder=\"30\" size=\"6\"></label>"
            + "<label>Message <input name=\"message\" size=\"50\" placeholder=\"proxy restart\"></label>"
            + "<button type=\"submit\">Drain</button> <span class=\"muted\">existing sessions close after the timeout</span></fieldset>",
            confirm: "Drain every proxy? New sessions are refused until the drain ends.")
        + Form(page, "/drain", "#drain-panel",
            "<input type=\"hidden\" name=\"cancel\" value=\"true\"><button type=\"submit\">End the drain</button>")
        + "</section>";
}
