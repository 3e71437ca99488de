using Prism.Backends.Types;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// The servers of a NATS instance: one URL or a comma-separated list (<c>nats://h1:4222,h2:4222,h3:4222</c>), the way
/// NATS clients write a cluster. An entry without a scheme takes the first one's, so <c>tls://h1:4222,h2:4222</c> is TLS
/// to both. The client tries them in random order and, once connected, also learns the cluster's other servers.
/// </summary>
internal static class NatsServers
{
    private static readonly string[] Schemes = ["nats", "tls", "ws", "wss"];

    /// <summary>The list with a scheme on every entry, as NATS.Net's <c>NatsOpts.Url</c> takes it.</summary>
    /// <exception cref="BackendSpecException">An entry is not a nats://, tls://, ws:// or wss:// URL (the message never repeats it).</exception>
    public static string Normalize(string value)
    {
        var entries = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            throw new BackendSpecException("setting 'url' names no NATS server");
        }

        var first = Parse(entries[0], null, 1);
        var normalized = new List<string> { entries[0] };
        for (var i = 1; i < entries.Length; i++)
        {
            var entry = entries[i].Contains("://", StringComparison.Ordinal) ? entries[i] : $"{first.Scheme}://{entries[i]}";
            Parse(entry, first.Scheme, i + 1);
            normalized.Add(entry);
        }

        return string.Join(',', normalized);
    }

    /// <summary>The servers without user information, safe to show: <c>nats://h1:4222,nats://h2:4222</c>.</summary>
    public static string Display(string value) =>
        string.Join(',', value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ConnectionStrings.DisplayUrl));

    private static Uri Parse(string entry, string? scheme, int position)
    {
        if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme) || uri.Host.Length == 0)
        {
            throw new BackendSpecException(position == 1
                ? "setting 'url' is not a nats:// URL"
                : $"server {position} of setting 'url' is not a nats:// URL");
        }

        if (scheme is not null && IsTls(uri.Scheme) != IsTls(scheme))
        {
            throw new BackendSpecException($"server {position} of setting 'url' mixes TLS and plain servers");
        }

        return uri;
    }

    private static bool IsTls(string scheme) => scheme is "tls" or "wss";
}
