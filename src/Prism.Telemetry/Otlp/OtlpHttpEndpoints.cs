using System.Buffers;
using System.IO.Compression;
using System.Text;
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
/// The response uses the request's encoding. The body is read (once the export holds an <see cref="ExportGate"/>
/// slot) into a pooled buffer of at most <see cref="IntakeLimits.MaxBodyBytes"/>.
/// </summary>
public static class OtlpHttpEndpoints
{
    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    /// <summary>Maps the three export paths.</summary>
    public static IEndpointRouteBuilder MapOtlpHttp(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1/traces", (HttpContext context, OtlpIngest ingest) =>
            HandleAsync(context, ingest, ExportTraceServiceRequest.Parser, ingest.Accept));
        endpoints.MapPost("/v1/metrics", (HttpContext context, OtlpIngest ingest) =>
            HandleAsync(context, ingest, ExportMetricsServiceRequest.Parser, ingest.Accept));
        endpoints.MapPost("/v1/logs", (HttpContext context, OtlpIngest ingest) =>
            HandleAsync(context, ingest, ExportLogsServiceRequest.Parser, ingest.Accept));
        return endpoints;
    }

    private static async Task<IResult> HandleAsync<TRequest, TResponse>(
        HttpContext context, OtlpIngest ingest, MessageParser<TRequest> parser, Func<TRequest, TResponse> accept)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (Protobuf or Json))
        {
            return Results.Text($"unsupported content type '{context.Request.ContentType}'; use {Protobuf} or {Json}", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var maxBytes = ingest.Limits.MaxBodyBytes;
        if (context.Request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        using var body = new PooledBody(InitialBufferBytes(context.Request.ContentLength, maxBytes));
        try
        {
            if (!await body.ReadAsync(context, maxBytes).ConfigureAwait(false))
            {
                return TooLarge(maxBytes);
            }
        }
        catch (InvalidDataException e)
        {
            return Results.Text(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        TRequest request;
        try
        {
            request = mediaType == Json
                ? OtlpJson.Parse<TRequest>(Encoding.UTF8.GetString(body.Bytes))
                : parser.ParseFrom(body.Bytes);
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

    private static IResult TooLarge(int maxBytes) =>
        Results.Text($"request body larger than {maxBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);

    private static int InitialBufferBytes(long? contentLength, int maxBytes) =>
        (int)Math.Clamp(contentLength ?? 64 * 1024, 4 * 1024, maxBytes + 1L);

    /// <summary>A request body in a buffer from the shared pool, traded for a larger one as it grows.</summary>
    private sealed class PooledBody(int initialBytes) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
        private int _length;

        public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

        /// <summary>Reads the (decompressed) body; false when it is longer than <paramref name="maxBytes"/>.</summary>
        public async Task<bool> ReadAsync(HttpContext context, int maxBytes)
        {
            var encoding = context.Request.Headers.ContentEncoding.ToString();
            var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true)
                : encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase) ? null
                : throw new InvalidDataException($"unsupported content encoding '{encoding}'");
            await using (gzip)
            {
                var source = (Stream?)gzip ?? context.Request.Body;
                while (_length <= maxBytes)
                {
                    if (_length == _buffer.Length)
                    {
                        Grow((int)Math.Min(2L * _buffer.Length, maxBytes + 1L));
                    }

                    var read = await source.ReadAsync(_buffer.AsMemory(_length), context.RequestAborted).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return true;
                    }

                    _length += read;
                }

                return false;
            }
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        private void Grow(int bytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(bytes);
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}
