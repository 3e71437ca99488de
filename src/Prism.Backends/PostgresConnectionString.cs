using Npgsql;

namespace Prism.Backends;

/// <summary>
/// Reads <c>postgres://user:pass@host:port/db?sslmode=require</c> URLs and Npgsql key=value strings.
/// Errors never repeat the value, which may hold a password.
/// </summary>
public static class PostgresConnectionString
{
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["host"] = "Host",
        ["port"] = "Port",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
    };

    /// <summary>An Npgsql connection string; <paramref name="applicationName"/> unless the value names one.</summary>
    /// <exception cref="ArgumentException">Not a valid URL or connection string.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string value, string applicationName = "prism")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = IsUrl(value) ? FromUrl(value) : new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            // The parser's message may quote the value, password included: say only what is expected.
            throw new ArgumentException(
                "The PostgreSQL connection is neither a postgres://user:pass@host:port/db URL nor a valid Npgsql connection string.");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ArgumentException("The PostgreSQL connection names no host.");
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = applicationName;
        }

        return builder;
    }

    /// <summary><c>postgres://host:port/db</c>: what logs and errors may show.</summary>
    public static string Display(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return
        $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? ""}";
    }

    private static bool IsUrl(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static NpgsqlConnectionStringBuilder FromUrl(string value)
    {
        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.Port > 0 ? uri.Port : 5432 };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

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
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            builder[LibpqNames.GetValueOrDefault(key, key)] = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "true";
        }

        return builder;
    }
}
