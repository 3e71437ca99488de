using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Prism.Admin.V1;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>Maintenance mode: show it and switch it (admin:operational).</summary>
internal static class MaintenancePages
{
    private const string Title = "Maintenance mode";
    private const string Section = "/maintenance";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/maintenance", async (HttpContext http, AdminChannel admin) =>
        {
            var page = PageContext.For(http);
            var result = await admin.CallAsync(http, (c, o) => c.GetMaintenanceModeAsync(new GetMaintenanceModeRequest(), o));
            return PageResponse.Panel(page, Title, Section, Panel(page, Failure(result.Failure), result.Value?.Maintenance),
                result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/maintenance", async (HttpContext http, AdminChannel admin, [FromForm] bool? enabled, [FromForm] string? message) =>
        {
            var page = PageContext.For(http);
            var set = await admin.CallAsync(http, (c, o) =>
                c.SetMaintenanceModeAsync(new SetMaintenanceModeRequest { Enabled = enabled ?? false, Message = (message ?? "").Trim() }, o));
            if (set.Value is { } response)
            {
                var notice = Notice(response.Maintenance.Enabled ? "Maintenance mode is on." : "Maintenance mode is off.");
                return PageResponse.Panel(page, Title, Section, Panel(page, notice, response.Maintenance));
            }

            var current = await admin.CallAsync(http, (c, o) => c.GetMaintenanceModeAsync(new GetMaintenanceModeRequest(), o));
            return PageResponse.Panel(page, Title, Section, Panel(page, Failure(set.Failure), current.Value?.Maintenance), set.Failure!.HttpStatus);
        });
    }

    private static string Panel(PageContext page, string message, MaintenanceMode? mode)
    {
        var state = mode is null
            ? ""
            : mode.Enabled
                ? string.Create(CultureInfo.InvariantCulture, $"<p data-maintenance=\"on\"><strong>On</strong> since {Time(mode.SetAt)} UTC, set by {E(mode.SetBy)}. Data-plane clients are told: <em>{E(mode.Message)}</em></p>")
                : string.Create(CultureInfo.InvariantCulture, $"<p data-maintenance=\"off\"><strong>Off</strong>{(string.IsNullOrEmpty(mode.SetBy) ? "" : $" (last set by {E(mode.SetBy)} at {Time(mode.SetAt)} UTC)")}.</p>");
        var form = Form(page, "/maintenance", "#maintenance-panel",
            "<fieldset><legend>Switch</legend>"
            + $"<label><input type=\"checkbox\" name=\"enabled\" value=\"true\"{(mode?.Enabled == true ? " checked" : "")}> maintenance mode on</label>"
            + $"<label>Message <input name=\"message\" size=\"50\" value=\"{E(mode?.Message)}\" placeholder=\"back at 14:00 UTC\"></label>"
            + "<button type=\"submit\">Save</button></fieldset>");
        return $"<section id=\"maintenance-panel\">{message}{state}{form}</section>";
    }
}
