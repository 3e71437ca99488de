using Npgsql;

namespace Prism.Backends;

/// <summary>Turns the URL forms users write into client connection strings, and hides secrets for display.</summary>
public static class ConnectionStrings
{
    /// <summary>An Npgsql connection string from <c>postgres://user:pass@host:port/db?k=v</c> or an Npgsql string.</summary>
    public static string Postgres(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(value).ConnectionString;
        }

        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "true";
        }

        return builder.ConnectionString;
    }

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
    public static string DisplayPostgres(string value)
    {
        var builder = new NpgsqlConnectionStringBuilder(Postgres(value));
        return $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>A Redis endpoint safe to show: the first host:port only.</summary>
    public static string DisplayRedis(string value) => "redis://" + Redis(value).Split(',')[0];

    /// <summary>A URL with any user information removed.</summary>
    public static string DisplayUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : "(invalid url)";
}
