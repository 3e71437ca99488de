using System.Text.Json;

namespace Prism.Telemetry.Tests;

/// <summary>OTLP/JSON documents as an exporter sends them: lowerCamelCase, hex ids, nanosecond strings.</summary>
internal static class OtlpDocuments
{
    public static string Trace(string service, string traceId, string spanId, string name, string? parentSpanId = null, long startMs = 1_700_000_000_000) =>
        JsonSerializer.Serialize(new
        {
            resourceSpans = new[]
            {
                new
                {
                    resource = new { attributes = new[] { new { key = "service.name", value = new { stringValue = service } } } },
                    scopeSpans = new[]
                    {
                        new
                        {
                            scope = new { name = "json-test" },
                            spans = new[]
                            {
                                new
                                {
                                    traceId,
                                    spanId,
                                    parentSpanId = parentSpanId ?? "",
                                    name,
                                    kind = 2,
                                    startTimeUnixNano = (startMs * 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                                    endTimeUnixNano = ((startMs + 12) * 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                                    attributes = new object[]
                                    {
                                        new { key = "http.route", value = new { stringValue = "/orders" } },
                                        new { key = "http.response.status_code", value = new { intValue = "200" } },
                                    },
                                    status = new { code = 1 },
                                },
                            },
                        },
                    },
                },
            },
        });

    public static string Logs(string service, string traceId) =>
        JsonSerializer.Serialize(new
        {
            resourceLogs = new[]
            {
                new
                {
                    resource = new { attributes = new[] { new { key = "service.name", value = new { stringValue = service } } } },
                    scopeLogs = new[]
                    {
                        new
                        {
                            scope = new { name = "json-test" },
                            logRecords = new object[]
                            {
                                new { timeUnixNano = "1700000000000000000", severityNumber = 9, severityText = "INFO", body = new { stringValue = "started" } },
                                new
                                {
                                    timeUnixNano = "1700000001000000000", severityNumber = 13, severityText = "WARN",
                                    body = new { stringValue = "cache miss storm" }, traceId, spanId = "eee19b7ec3c1b174",
                                },
                            },
                        },
                    },
                },
            },
        });
}
