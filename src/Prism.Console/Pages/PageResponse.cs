using System.Text;
using Microsoft.AspNetCore.Http;

namespace Prism.WebConsole.Pages;

/// <summary>How pages answer: the whole page for a navigation or a plain form post, the panel alone for htmx.</summary>
internal static class PageResponse
{
    public const string HtmlType = "text/html; charset=utf-8";

    public static IResult Panel(PageContext page, string title, string section, string panel, int status = StatusCodes.Status200OK) =>
        Results.Content(page.IsPartial ? panel : Html.Layout(page, title, section, panel), HtmlType, Encoding.UTF8, status);
}
