using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Prism.Hosting.Telemetry;

/// <summary>
/// Keeps credentials out of exported telemetry: query strings lose their values (OAuth codes and
/// tokens travel there), and attributes whose names denote a secret (authorization, cookie,
/// password, token, secret, connection string) are replaced by a marker.
/// </summary>
public static class SensitiveData
{
    /// <summary>Value written instead of a secret.</summary>
    public const string Redacted = "[redacted]";

    private static readonly string[] SecretNameParts =
        ["authorization", "cookie", "password", "passwd", "secret", "token", "api_key", "apikey", "connection_string"];

    private static readonly HashSet<string> UrlAttributes =
        new(StringComparer.Ordinal) { "url.full", "url.query", "http.url", "http.target" };

    /// <summary>True when an attribute named <paramref name="name"/> may hold a credential.</summary>
    public static bool IsSecretName(string name) =>
        SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>The URL or query with every query value replaced: <c>/cb?code=[redacted]&amp;state=[redacted]</c>.</summary>
    public static string RedactQuery(string urlOrQuery)
    {
        ArgumentNullException.ThrowIfNull(urlOrQuery);
        var start = urlOrQuery.IndexOf('?', StringComparison.Ordinal);
        var prefix = start >= 0 ? urlOrQuery[..(start + 1)] : "";
        var query = start >= 0 ? urlOrQuery[(start + 1)..] : urlOrQuery;
        if (query.Length == 0)
        {
            return urlOrQuery;
        }

        var fragment = query.IndexOf('#', StringComparison.Ordinal);
        var tail = fragment >= 0 ? query[fragment..] : "";
        query = fragment >= 0 ? query[..fragment] : query;
        var parts = query.Split('&').Select(p => p.Split('=', 2) is [var name, _] ? name + "=" + Redacted : p);
        return prefix + string.Join('&', parts) + tail;
    }

    /// <summary>The redacted form of an attribute value, or the value itself when it is not sensitive.</summary>
    public static object? Redact(string name, object? value) =>
        value switch
        {
            null => null,
            _ when IsSecretName(name) => Redacted,
            string text when UrlAttributes.Contains(name) && (name == "url.query" || text.Contains('?', StringComparison.Ordinal)) => RedactQuery(text),
            _ => value,
        };

    /// <summary>Span processor applying <see cref="Redact"/> to every attribute when the span ends.</summary>
    internal sealed class SpanProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            List<KeyValuePair<string, object?>>? changes = null;
            foreach (var tag in data.TagObjects)
            {
                var redacted = Redact(tag.Key, tag.Value);
                if (!ReferenceEquals(redacted, tag.Value))
                {
                    (changes ??= []).Add(new(tag.Key, redacted));
                }
            }

            foreach (var change in changes ?? [])
            {
                data.SetTag(change.Key, change.Value);
            }
        }
    }

    /// <summary>Log processor applying <see cref="Redact"/> to every attribute of a record.</summary>
    internal sealed class LogProcessor : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            if (data.Attributes is { Count: > 0 } attributes && attributes.Any(a => !ReferenceEquals(Redact(a.Key, a.Value), a.Value)))
            {
                data.Attributes = attributes.Select(a => new KeyValuePair<string, object?>(a.Key, Redact(a.Key, a.Value))).ToList();
            }
        }
    }
}
