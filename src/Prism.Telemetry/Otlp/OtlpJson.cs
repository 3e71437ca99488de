using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Prism.Telemetry.Otlp;

/// <summary>
/// Reads OTLP/JSON: the protobuf JSON mapping except that trace and span ids are hex strings
/// (not base64). Unknown fields are ignored, as the specification requires of receivers.
/// </summary>
public static class OtlpJson
{
    private static readonly HashSet<string> IdFields = new(StringComparer.Ordinal)
    {
        "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id",
    };

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>Parses <paramref name="json"/> into a message of type <typeparamref name="T"/>.</summary>
    /// <exception cref="OtlpFormatException">The document is not valid OTLP/JSON.</exception>
    public static T Parse<T>(string json) where T : IMessage<T>, new()
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new OtlpFormatException("invalid JSON: " + e.Message);
        }

        if (root is not null)
        {
            HexIdsToBase64(root);
        }

        try
        {
            return Parser.Parse<T>(root?.ToJsonString() ?? "{}");
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new OtlpFormatException("invalid OTLP/JSON: " + e.Message);
        }
    }

    private static void HexIdsToBase64(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (IdFields.Contains(name) && value is JsonValue v && v.TryGetValue<string>(out var hex) && hex.Length > 0)
                    {
                        obj[name] = ToBase64(hex);
                    }
                    else if (value is not null)
                    {
                        HexIdsToBase64(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        HexIdsToBase64(item);
                    }
                }

                break;
        }
    }

    private static string ToBase64(string hex)
    {
        try
        {
            return Convert.ToBase64String(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new OtlpFormatException($"id '{hex}' is not hex-encoded");
        }
    }
}

/// <summary>An OTLP payload that cannot be decoded; the receiver answers 400 / INVALID_ARGUMENT.</summary>
public sealed class OtlpFormatException(string message) : Exception(message);
