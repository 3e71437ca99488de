using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

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
    public static BackendUnavailableException Unavailable(Exception e, NpgsqlDataSource dataSource, ILogger logger)
    {
        dataSource.Clear();
        BackendLog.BackendUnavailable(logger, "postgres", e.Message);
        return new BackendUnavailableException("postgres", e.Message, e);
    }

    /// <summary>Runs <paramref name="operation"/>, turning unavailability into <see cref="BackendUnavailableException"/>.</summary>
    public static async Task<T> GuardAsync<T>(NpgsqlDataSource dataSource, ILogger logger, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, dataSource, logger);
        }
    }
}
