using System.IO.Compression;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Prism.Telemetry.Otlp;

/// <summary>
/// OTLP/HTTP: <c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> with a protobuf
/// (<c>application/x-protobuf</c>) or JSON (<c>application/json</c>) body, optionally gzip-encoded.
/// The response uses the request's encoding.
/// </summary>
public static class OtlpHttpEndpoints
{
    /// <summary>Largest request body accepted (after decompression).</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    /// <summary>Maps the three export paths.</summary>
    public static IEndpointRouteBuilder MapOtlpHttp(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1/traces", (HttpContext context, OtlpIngest ingest) =>
            HandleAsync(context, ExportTraceServiceRequest.Parser, ingest.Accept));
        endpoints.MapPost("/v1/metrics", (HttpContext context, OtlpIngest ingest) =>
            HandleAsync(context, ExportMetricsServiceRequest.Parser, ingest.Accept));
        endpoints.MapPost("/v1/logs", (HttpContext context, OtlpIngest ingest) =>
            HandleAsync(context, ExportLogsServiceRequest.Parser, ingest.Accept));
        return endpoints;
    }

    private static async Task<IResult> HandleAsync<TRequest, TResponse>(HttpContext context, MessageParser<TRequest> parser, Func<TRequest, TResponse> accept)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (Protobuf or Json))
        {
            return Results.Text($"unsupported content type '{context.Request.ContentType}'; use {Protobuf} or {Json}", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            return Results.Text(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        TRequest request;
        try
        {
            request = mediaType == Json ? OtlpJson.Parse<TRequest>(System.Text.Encoding.UTF8.GetString(body)) : parser.ParseFrom(body);
        }
        catch (Exception e) when (e is OtlpFormatException or InvalidProtocolBufferException)
        {
            return Results.Text(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        var response = accept(request);
        return mediaType == Json
            ? Results.Text(JsonFormatter.Default.Format(response), Json)
            : Results.Bytes(response.ToByteArray(), Protobuf);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        var encoding = context.Request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true)
            : encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase) ? null
            : throw new InvalidDataException($"unsupported content encoding '{encoding}'");
        await using (gzip)
        {
            var source = (Stream?)gzip ?? context.Request.Body;
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw new InvalidDataException($"request body larger than {MaxBodyBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
