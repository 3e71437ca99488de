namespace Prism.Backends;

/// <summary>Turns the URL forms users write into client connection strings, and hides secrets for display.</summary>
public static class ConnectionStrings
{
    /// <summary>An Npgsql connection string from <c>postgres://user:pass@host:port/db?k=v</c> or an Npgsql string.</summary>
    public static string Postgres(string value) => PostgresConnectionString.Parse(value).ConnectionString;

    /// <summary>
    /// A StackExchange.Redis configuration string from <c>redis://[user:pass@]host:port</c>, <c>rediss://…</c>
    /// (TLS: <c>ssl=true</c>) or its own form.
    /// </summary>
    public static string Redis(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var tls = value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase);
        if (!tls && !value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var uri = new Uri(value);
        var config = $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}";
        var userInfo = uri.UserInfo.Split(':', 2);
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

    /// <summary>A Redis endpoint safe to show: the first host:port only, <c>rediss://</c> over TLS.</summary>
    public static string DisplayRedis(string value)
    {
        var parts = Redis(value).Split(',');
        var tls = parts.Any(p => p.Replace(" ", "", StringComparison.Ordinal).Equals("ssl=true", StringComparison.OrdinalIgnoreCase));
        return (tls ? "rediss://" : "redis://") + parts[0];
    }

    /// <summary>A URL with any user information removed.</summary>
    public static string DisplayUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : "(invalid url)";
}
