using System.Globalization;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Prism.Admin.V1;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>
/// Dead letters of a queue (as <c>prismctl queue dlq</c>): list, inspect one with its payload, replay, purge.
/// Admin has no list of queues, so the page asks for the namespace and the queue.
/// </summary>
internal static class QueuePages
{
    private const string Title = "Queues: dead letters";
    private const string Section = "/queues";
    private const int PageSize = 50;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/queues", async (HttpContext http, AdminChannel admin, [FromQuery(Name = "namespace")] string? ns, string? queue,
            [FromQuery(Name = "page_token")] string? pageToken) =>
        {
            var page = PageContext.For(http);
            var (body, status) = await PanelAsync(page, admin, "", (ns ?? "").Trim(), (queue ?? "").Trim(), pageToken);
            return PageResponse.Panel(page, Title, Section, body, status);
        });
        pages.MapGet("/queues/dead-letter", async (HttpContext http, AdminChannel admin, [FromQuery(Name = "namespace")] string? ns, string? queue, string? id) =>
        {
            var page = PageContext.For(http);
            var request = new GetDeadLetterRequest { Namespace = ns ?? "", Queue = queue ?? "", Id = id ?? "" };
            var result = await admin.CallAsync(http, (c, o) => c.GetDeadLetterAsync(request, o));
            var body = "<section id=\"dead-letter\">" + (result.Value is { } response ? Details(page, request, response.DeadLetter) : Failure(result.Failure))
                + $"<p><a href=\"{QueueLink(request.Namespace, request.Queue)}\">Back to the dead letters of {E(request.Queue)}</a></p></section>";
            return PageResponse.Panel(page, $"Dead letter {id}", Section, body, result.Failure?.HttpStatus ?? StatusCodes.Status200OK);
        });
        pages.MapPost("/queues/replay", async (HttpContext http, AdminChannel admin, [FromForm(Name = "namespace")] string? ns, [FromForm] string? queue, [FromForm] string? id) =>
        {
            var page = PageContext.For(http);
            var request = new ReplayDeadLetterRequest { Namespace = ns ?? "", Queue = queue ?? "", Id = id ?? "" };
            var result = await admin.CallAsync(http, (c, o) => c.ReplayDeadLetterAsync(request, o));
            var message = result.Value is { } response
                ? Notice($"Replayed dead letter {request.Id} on queue {request.Queue} as message {response.MessageId}.")
                : Failure(result.Failure);
            var (body, status) = await PanelAsync(page, admin, message, request.Namespace, request.Queue, null);
            return PageResponse.Panel(page, Title, Section, body, result.Failure?.HttpStatus ?? status);
        });
        pages.MapPost("/queues/purge", async (HttpContext http, AdminChannel admin, [FromForm(Name = "namespace")] string? ns, [FromForm] string? queue) =>
        {
            var page = PageContext.For(http);
            var request = new PurgeDeadLettersRequest { Namespace = ns ?? "", Queue = queue ?? "" };
            var result = await admin.CallAsync(http, (c, o) => c.PurgeDeadLettersAsync(request, o));
            var message = result.Value is { } response
                ? Notice(string.Create(CultureInfo.InvariantCulture, $"Purged {response.Purged} dead letter(s) of queue {request.Queue}."))
                : Failure(result.Failure);
            var (body, status) = await PanelAsync(page, admin, message, request.Namespace, request.Queue, null);
            return PageResponse.Panel(page, Title, Section, body, result.Failure?.HttpStatus ?? status);
        });
    }

    private static string QueueLink(string ns, string queue) => E($"/queues?namespace={U(ns)}&queue={U(queue)}");

    private static async Task<(string Body, int Status)> PanelAsync(PageContext page, AdminChannel admin, string message, string ns, string queue, string? pageToken)
    {
        var html = new StringBuilder("<section id=\"queues-panel\">").Append(message)
            .Append("<form method=\"get\" action=\"/queues\" hx-get=\"/queues\" hx-target=\"#queues-panel\" hx-swap=\"outerHTML\" hx-push-url=\"true\">")
            .Append(CultureInfo.InvariantCulture, $"<label>Namespace <input name=\"namespace\" required value=\"{E(ns)}\"></label>")
            .Append(CultureInfo.InvariantCulture, $"<label>Queue <input name=\"queue\" required value=\"{E(queue)}\"></label>")
            .Append("<button type=\"submit\">Show dead letters</button></form>");
        if (ns.Length == 0 || queue.Length == 0)
        {
            return (html.Append("<p class=\"muted\">Name a namespace and a queue.</p></section>").ToString(), StatusCodes.Status200OK);
        }

        var result = await admin.CallAsync(page.Http, (c, o) => c.ListDeadLettersAsync(
            new ListDeadLettersRequest { Namespace = ns, Queue = queue, PageSize = PageSize, PageToken = pageToken ?? "" }, o));
        if (result.Value is not { } response)
        {
            return (html.Append(Failure(result.Failure)).Append("</section>").ToString(), result.Failure!.HttpStatus);
        }

        var hidden = $"<input type=\"hidden\" name=\"namespace\" value=\"{E(ns)}\"><input type=\"hidden\" name=\"queue\" value=\"{E(queue)}\">";
        html.Append(Form(page, "/queues/purge", "#queues-panel", hidden + "<button type=\"submit\">Purge every dead letter</button>",
            confirm: $"Remove every dead letter of queue {queue} in namespace {ns}?"));
        html.Append("<table><thead><tr><th>id</th><th>group</th><th>message id</th><th>attempts</th><th>error</th><th>dead since (UTC)</th><th>payload</th><th></th></tr></thead><tbody>");
        foreach (var d in response.DeadLetters)
        {
            var (_, payload) = Payload(d.Payload);
            var preview = payload.Length > 80 ? payload[..80] + "…" : payload;
            var inspect = E($"/queues/dead-letter?namespace={U(ns)}&queue={U(queue)}&id={U(d.Id)}");
            html.Append(CultureInfo.InvariantCulture, $"<tr data-dead-letter=\"{E(d.Id)}\"><td class=\"mono\"><a href=\"{inspect}\">{E(d.Id)}</a></td><td>{E(d.Group)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"mono\">{E(d.MessageId)}</td><td>{d.Attempts}</td><td>{E(d.Error)}</td><td class=\"mono\">{Time(d.DeadAt)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"mono\">{E(preview)}</td><td>")
                .Append(Form(page, "/queues/replay", "#queues-panel", hidden + $"<input type=\"hidden\" name=\"id\" value=\"{E(d.Id)}\"><button type=\"submit\">Replay</button>", cssClass: "inline"))
                .Append("</td></tr>");
        }

        if (response.DeadLetters.Count == 0)
        {
            html.Append("<tr><td colspan=\"8\" class=\"muted\">No dead letters.</td></tr>");
        }

        html.Append("</tbody></table>");
        if (!string.IsNullOrEmpty(response.NextPageToken))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{E($"/queues?namespace={U(ns)}&queue={U(queue)}&page_token={U(response.NextPageToken)}")}\">Next page</a></p>");
        }

        return (html.Append("</section>").ToString(), StatusCodes.Status200OK);
    }

    private static string Details(PageContext page, GetDeadLetterRequest request, DeadLetter d)
    {
        var (label, payload) = Payload(d.Payload);
        var rows = new (string, string)[]
        {
            ("id", d.Id), ("queue", d.Queue), ("group", d.Group), ("message id", d.MessageId),
            ("attempts", d.Attempts.ToString(CultureInfo.InvariantCulture)), ("error", d.Error),
            ("enqueued (UTC)", Time(d.EnqueuedAt)), ("dead since (UTC)", Time(d.DeadAt)),
            ("publisher", d.PublisherSubject), ("publisher client", d.PublisherClientId), ("session", d.SessionId), ("traceparent", d.Traceparent),
            ("metadata", FormFields.Lines(d.Metadata)),
        };
        var html = new StringBuilder("<table>");
        foreach (var (name, value) in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(name)}</th><td class=\"mono\">{E(value)}</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(label)}</th><td><pre data-payload>{E(payload)}</pre></td></tr></table>");
        var hidden = $"<input type=\"hidden\" name=\"namespace\" value=\"{E(request.Namespace)}\"><input type=\"hidden\" name=\"queue\" value=\"{E(request.Queue)}\">";
        // The answer is the queue's list: it replaces the whole page section, not this table.
        html.Append("<form method=\"post\" action=\"/queues/replay\">").Append(page.TokenField).Append(hidden)
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"id\" value=\"{E(d.Id)}\"><button type=\"submit\">Replay</button></form>");
        return html.ToString();
    }

    /// <summary>The payload as text when it is valid UTF-8, else as base64 (named so).</summary>
    private static (string Label, string Text) Payload(ByteString payload)
    {
        try
        {
            return ("payload", StrictUtf8.GetString(payload.Span));
        }
        catch (DecoderFallbackException)
        {
            return ("payload (base64)", payload.ToBase64());
        }
    }
}
