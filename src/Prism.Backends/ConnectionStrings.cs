namespace Prism.Backends;

/// <summary>Turns the URL forms users write into client connection strings, and hides secrets for display.</summary>
public static class ConnectionStrings
{
    /// <summary>An Npgsql connection string from <c>postgres://user:pass@host:port/db?k=v</c> or an Npgsql string.</summary>
    public static string Postgres(string value) => PostgresConnectionString.Parse(value).ConnectionString;

    /// <summary>A StackExchange.Redis configuration string from <c>redis://[user:pass@]host:port</c> or its own form.</summary>
    public static string Redis(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (!value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
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

        return config;
    }

    /// <summary>A PostgreSQL connection string safe to show: host, port and database only.</summary>
    public static string DisplayPostgres(string value) => PostgresConnectionString.Display(PostgresConnectionString.Parse(value));

    /// <summary>A Redis endpoint safe to show: the first host:port only.</summary>
    public static string DisplayRedis(string value) => "redis://" + Redis(value).Split(',')[0];

    /// <summary>A URL with any user information removed.</summary>
    public static string DisplayUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : "(invalid url)";
}
