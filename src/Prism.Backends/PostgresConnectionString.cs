using System.Globalization;
using Npgsql;

namespace Prism.Backends;

/// <summary>
/// Reads <c>postgres://user:pass@host:port/db?sslmode=require</c> URLs and Npgsql key=value strings.
/// Both may name several hosts, tried in order: <c>postgres://h1:5432,h2:5432/db?target_session_attrs=read-write</c>
/// or <c>Host=h1,h2;Target Session Attributes=primary</c>. Errors never repeat the value, which may hold a password.
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

    /// <summary><c>postgres://host:port/db</c> (<c>postgres://h1:port,h2:port/db</c> for several hosts): what logs and errors may show.</summary>
    public static string Display(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var hosts = (builder.Host ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(host => HasPort(host) ? host : $"{host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}");
        return $"postgres://{string.Join(',', hosts)}/{builder.Database ?? builder.Username ?? ""}";
    }

    private static bool IsUrl(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for <c>host:port</c> and <c>[v6]:port</c>, false for <c>host</c>, <c>[v6]</c> and a bare IPv6 address.</summary>
    private static bool HasPort(string host) =>
        host.StartsWith('[') ? host.Contains("]:", StringComparison.Ordinal) : host.Count(c => c == ':') == 1;

    private static NpgsqlConnectionStringBuilder FromUrl(string value)
    {
        // Uri takes one host: parse the URL with the first, then give Npgsql the whole list ("h1:p1,h2:p2").
        var hostsStart = value.IndexOf("://", StringComparison.Ordinal) + 3;
        var authorityEnd = value.IndexOfAny(['/', '?', '#'], hostsStart);
        authorityEnd = authorityEnd < 0 ? value.Length : authorityEnd;
        hostsStart = Math.Max(hostsStart, value.LastIndexOf('@', authorityEnd - 1, authorityEnd - hostsStart) + 1);
        var hosts = value[hostsStart..authorityEnd].Split(',');
        if (hosts.Any(h => h.Trim().Length == 0))
        {
            throw new FormatException("empty host");
        }

        var uri = new Uri(value[..hostsStart] + hosts[0] + value[authorityEnd..]);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.Port > 0 ? uri.Port : 5432 };
        if (hosts.Length > 1)
        {
            foreach (var host in hosts.Skip(1))
            {
                _ = new Uri($"postgres://{host.Trim()}"); // Each must be host[:port].
            }

            // As in libpq, a host without a port uses 5432, not the first host's port.
            builder.Host = string.Join(',', hosts.Select(h => Uri.UnescapeDataString(h.Trim())));
            builder.Port = 5432;
        }

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
