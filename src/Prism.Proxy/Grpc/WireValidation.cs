using System.Buffers;
using System.Collections.Frozen;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Prism.Interfaces.KeyValue;
using Prism.Interfaces.PubSub;
using Prism.Interfaces.Queue;

namespace Prism.Proxy.Grpc;

/// <summary>
/// Refuses a unary request that is not a valid protobuf message of its method's request type (a string field with
/// invalid UTF-8, a truncated field) with INVALID_ARGUMENT naming the message type and the fault. grpc-dotnet parses
/// requests before any interceptor runs and answers a parse failure UNKNOWN "Exception was thrown by handler", which
/// tells a client nothing. The request is peeked, not consumed: gRPC reads the same bytes afterwards.
/// </summary>
internal sealed class WireValidation
{
    private const int FrameHeaderBytes = 5;

    private static readonly FrozenDictionary<string, (MessageParser Parser, string Type)> UnaryRequests =
        new[] { KeyValueBasicInterface.Descriptor, KeyValueTTLInterface.Descriptor, KeyValueBatchInterface.Descriptor,
                PubSubBasicInterface.Descriptor, QueueBasicInterface.Descriptor }
            .SelectMany(service => service.Methods)
            .Where(method => !method.IsClientStreaming)
            .ToFrozenDictionary(method => $"/{method.Service.FullName}/{method.Name}", method => (method.InputType.Parser, method.InputType.FullName), StringComparer.Ordinal);

    /// <summary>Middleware: validates the request of a known unary (or server-streaming) method, then runs the rest.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.Value is { } path && UnaryRequests.TryGetValue(path, out var request)
            && await FaultAsync(context, request.Parser) is { } fault)
        {
            // A trailers-only gRPC answer: the status travels in the response headers.
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "3";
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString($"the request is not a valid {request.Type}: {fault}");
            return;
        }

        await next(context);
    }

    /// <summary>Why the request's message does not parse as <paramref name="parser"/>'s type; null when it does (or is compressed).</summary>
    private static async Task<string?> FaultAsync(HttpContext context, MessageParser parser)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            var buffer = read.Buffer;
            try
            {
                var frame = new SequenceReader<byte>(buffer);
                if (frame.TryRead(out var compressed) && frame.TryReadBigEndian(out int length))
                {
                    if (compressed != 0 || length < 0)
                    {
                        return null; // compressed or absurd: gRPC itself handles these
                    }

                    if (frame.Remaining >= length)
                    {
                        return Parse(parser, buffer.Slice(FrameHeaderBytes, length));
                    }
                }

                if (read.IsCompleted || read.IsCanceled)
                {
                    return null; // an incomplete frame: gRPC answers it
                }
            }
            finally
            {
                // Examined but not consumed: the gRPC handler reads the same bytes.
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private static string? Parse(MessageParser parser, ReadOnlySequence<byte> message)
    {
        try
        {
            parser.ParseFrom(message);
            return null;
        }
        catch (InvalidProtocolBufferException e)
        {
            return e.Message;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return "a string field is not valid UTF-8";
        }
    }
}
