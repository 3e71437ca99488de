using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Prism.Admin.V1;
using Prism.Manifests;
using Prism.WebConsole.Admin;
using static Prism.WebConsole.Pages.Html;

namespace Prism.WebConsole.Pages;

/// <summary>
/// The audit export (as <c>prismctl audit export</c>): every entry of a time range, oldest first, downloaded as
/// JSON lines with the proto field names, streamed from admin's ExportAuditLog without holding it in memory.
/// </summary>
internal static class AuditExport
{
    /// <summary>How long one export may stream.</summary>
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromMinutes(10);

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));

    /// <summary>The export form of the audit page: a plain GET, so the browser downloads the answer.</summary>
    public const string Form =
        "<form method=\"get\" action=\"/audit/export\"><fieldset><legend>Export (JSON lines, oldest first, every entry of the range)</legend>"
        + "<label>Since <input name=\"since\" placeholder=\"30d or 2025-10-01T00:00:00Z\" size=\"24\"></label>"
        + "<label>Until <input name=\"until\" placeholder=\"empty: now\" size=\"24\"></label>"
        + "<button type=\"submit\">Export</button> <span class=\"muted\">empty Since: the oldest entry kept</span></fieldset></form>";

    public static async Task<IResult> DownloadAsync(HttpContext http, AdminChannel admin, string? since, string? until)
    {
        var request = new ExportAuditLogRequest();
        var now = DateTimeOffset.UtcNow;
        try
        {
            if (PointInTime(since, now, "Since") is { } from)
            {
                request.Since = Timestamp.FromDateTimeOffset(from);
            }

            if (PointInTime(until, now, "Until") is { } to)
            {
                request.Until = Timestamp.FromDateTimeOffset(to);
            }
        }
        catch (FormFields.InvalidField e)
        {
            return Refused(http, e.Failure);
        }

        var (client, options) = await admin.AsUserAsync(http);
        var call = client.ExportAuditLog(request, options.WithDeadline(DateTime.UtcNow + ExportTimeout));
        bool any;
        try
        {
            // The first read shows a refusal (admin:audit) while the page can still say so.
            any = await call.ResponseStream.MoveNext(http.RequestAborted);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Unauthenticated)
        {
            call.Dispose();
            return Refused(http, AdminFailure.From(e, admin.Address));
        }

        return new Download(call, any, $"prism-audit-{now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.jsonl");
    }

    private static IResult Refused(HttpContext http, AdminFailure failure)
    {
        var page = PageContext.For(http);
        return PageResponse.Panel(page, "Audit log", "/audit", $"<section id=\"audit-panel\">{Failure(failure)}<p><a href=\"/audit\">Back to the audit log</a></p></section>",
            failure.HttpStatus);
    }

    /// <summary>An RFC 3339 time, or a duration meaning that long before <paramref name="now"/>; empty is null.</summary>
    private static DateTimeOffset? PointInTime(string? value, DateTimeOffset now, string field)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0)
        {
            return null;
        }

        return DurationText.TryParse(text, out var ago) ? now - ago
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
            : throw new FormFields.InvalidField($"{field}: expected a duration ago (15m, 30d) or an RFC 3339 time (2025-10-09T11:00:00Z), got '{text}'");
    }

    /// <summary>Streams the entries to the response; a failure after the first byte aborts it, so no truncated file looks complete.</summary>
    private sealed class Download(AsyncServerStreamingCall<AuditLogEntry> call, bool any, string fileName) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            using var _ = call;
            http.Response.ContentType = "application/x-ndjson; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
            try
            {
                for (var more = any; more; more = await call.ResponseStream.MoveNext(http.RequestAborted))
                {
                    await writer.WriteLineAsync(Json.Format(call.ResponseStream.Current).AsMemory(), http.RequestAborted);
                }

                await writer.FlushAsync(http.RequestAborted);
            }
            catch (RpcException)
            {
                http.Abort();
            }
        }
    }
}
