namespace Prism.Backends;

/// <summary>Turns the URL forms users write into client connection strings, and hides secrets for display.</summary>
public static class ConnectionStrings
{
    /// <summary>An Npgsql connection string from <c>postgres://user:pass@host:port/db?k=v</c> or an Npgsql string.</summary>
    public static string Postgres(string value) => PostgresConnectionString.Parse(value).ConnectionString;

    /// <summary>
    /// A StackExchange.Redis configuration string from <c>redis://[user:pass@]host:port[,host:port…]</c>,
    /// <c>rediss://…</c> (TLS: <c>ssl=true</c>) or its own form. Several hosts (Redis Cluster nodes) are
    /// comma-separated; the client finds the rest of a cluster from any of them.
    /// </summary>
    public static string Redis(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var tls = value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase);
        if (!tls && !value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var scheme = tls ? "rediss://" : "redis://";
        var authority = value[scheme.Length..];
        var end = authority.IndexOfAny(['/', '?', '#']);
        authority = end < 0 ? authority : authority[..end];
        var at = authority.LastIndexOf('@');
        var hosts = authority[(at + 1)..].Split(',', StringSplitOptions.TrimEntries);
        if (hosts.Any(h => h.Length == 0))
        {
            throw new UriFormatException("empty host in the redis URL");
        }

        var config = string.Join(',', hosts.Select(host =>
        {
            var uri = new Uri(scheme + host);
            return $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}";
        }));
        var userInfo = (at < 0 ? "" : authority[..at]).Split(':', 2);
        if (userInfo.Length == 2)
        {
            config += $",user={Uri.UnescapeDataString(userInfo[0])},password={Uri.UnescapeDataString(userInfo[1])}";
        }
        else if (userInfo[0].Length > 0)
        {
            config += $",password={Uri.UnescapeDataString(userInfo[0])}";
        }

        return tls ? config + ",ssl=true" : config;
    }

    /// <summary>A PostgreSQL connection string safe to show: host, port and database only.</summary>
    public static string DisplayPostgres(string value) => PostgresConnectionString.Display(PostgresConnectionString.Parse(value));

    /// <summary>Redis endpoints safe to show: every host:port and nothing else, <c>rediss://</c> over TLS.</summary>
    public static string DisplayRedis(string value)
    {
        var parts = Redis(value).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var tls = parts.Any(p => p.Replace(" ", "", StringComparison.Ordinal).Equals("ssl=true", StringComparison.OrdinalIgnoreCase));
        return (tls ? "rediss://" : "redis://") + string.Join(',', parts.Where(p => !p.Contains('=', StringComparison.Ordinal)));
    }

    /// <summary>A URL with any user information removed.</summary>
    public static string DisplayUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : "(invalid url)";
}
