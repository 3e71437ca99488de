using System.Net.Sockets;
using Npgsql;
using Prism.Backends.Health;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>Which PostgreSQL errors mean the server cannot be used right now.</summary>
internal static class PostgresFailures
{
    /// <summary>
    /// Connection failures, I/O errors and timeouts on the client side, and server states that
    /// refuse work: connection exceptions (08…), shutdown (57P01-57P03), too many connections (53300).
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException server => server.SqlState.StartsWith("08", StringComparison.Ordinal)
            || server.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException => true,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Drops idle pooled connections (they died with the server) and builds the exception to throw.</summary>
    public static BackendUnavailableException Unavailable(Exception e, NpgsqlDataSource dataSource, OutageLog outage)
    {
        dataSource.Clear();
        return outage.Failed(Describe(e));
    }

    /// <summary>Runs <paramref name="operation"/>, turning unavailability into <see cref="BackendUnavailableException"/>.</summary>
    public static async Task<T> GuardAsync<T>(NpgsqlDataSource dataSource, OutageLog outage, Func<Task<T>> operation)
    {
        try
        {
            var result = await operation();
            outage.Succeeded();
            return result;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, dataSource, outage);
        }
    }

    /// <summary>A code for clients; for logs the SQLSTATE or error type and message (connection errors name addresses, not data).</summary>
    private static BackendUnavailableException Describe(Exception e) => e switch
    {
        PostgresException server => new("postgres", server.SqlState.StartsWith("08", StringComparison.Ordinal) ? BackendFailureCodes.ConnectionLost : BackendFailureCodes.NotReady,
            $"SQLSTATE {server.SqlState}: {server.MessageText}", e),
        TimeoutException or NpgsqlException { InnerException: TimeoutException } =>
            new("postgres", BackendFailureCodes.Timeout, e.Message, e),
        _ => new("postgres", BackendFailureCodes.Unreachable, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message, e),
    };
}
