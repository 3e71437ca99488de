using System.Net;
using StackExchange.Redis;

namespace Prism.Backends.Drivers.Redis;

/// <summary>
/// Which Redis errors mean the server cannot be used now, and how they are told: StackExchange.Redis
/// messages name the command and the user's key (and pool statistics), so neither clients nor logs get them.
/// </summary>
internal static class RedisFailures
{
    private const string Backend = "redis";

    /// <summary>
    /// Redis Cluster answers while a slot has no master or is moving: the cluster is down (CLUSTERDOWN, until a
    /// replica is promoted), a multi-key command met a slot half moved (TRYAGAIN), a node lost its master
    /// (MASTERDOWN), or a write reached a master just demoted to replica (READONLY).
    /// </summary>
    private static readonly string[] ClusterNotReady = ["CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "READONLY"];

    /// <summary>Connection failures, timeouts, a closed multiplexer, a server still loading its data and a cluster in transition.</summary>
    public static bool IsUnavailable(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException || IsLoading(e) || ClusterState(e) is not null;

    /// <summary>
    /// The exception to throw for <paramref name="e"/>, with a code and a detail free of keys that names the
    /// servers of <paramref name="redis"/> (null when the multiplexer itself could not be had).
    /// </summary>
    public static BackendUnavailableException Unavailable(Exception e, IConnectionMultiplexer? redis)
    {
        var failure = Describe(e);
        return redis is null ? failure : new(Backend, failure.Code, $"{failure.Detail} (servers {Servers(redis)})", e);
    }

    private static BackendUnavailableException Describe(Exception e) => e switch
    {
        RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } =>
            new(Backend, BackendFailureCodes.AuthenticationFailed, "the server refused the credentials", e),
        RedisConnectionException connection =>
            new(Backend, BackendFailureCodes.Unreachable, $"{connection.FailureType}{Cause(connection.InnerException)}", e),
        RedisTimeoutException => new(Backend, BackendFailureCodes.Timeout, "no answer within the command timeout", e),
        ObjectDisposedException => new(Backend, BackendFailureCodes.ConnectionLost, "the connection was closed", e),
        _ when IsLoading(e) => new(Backend, BackendFailureCodes.NotReady, "the server is loading its dataset", e),
        _ when ClusterState(e) is { } state => new(Backend, BackendFailureCodes.NotReady, $"the cluster cannot serve the call now ({state})", e),
        _ => new(Backend, BackendFailureCodes.Unreachable, e.GetType().Name, e),
    };

    private static string Servers(IConnectionMultiplexer redis) =>
        string.Join(", ", redis.GetEndPoints().Select(endpoint => endpoint switch
        {
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            _ => endpoint.ToString(),
        }));

    /// <summary>The cluster error's first word (never the rest, which may name a key), or null.</summary>
    private static string? ClusterState(Exception e) =>
        e is RedisServerException server ? ClusterNotReady.FirstOrDefault(word => server.Message.StartsWith(word, StringComparison.Ordinal)) : null;

    private static bool IsLoading(Exception e) =>
        e is RedisServerException server && server.Message.StartsWith("LOADING", StringComparison.Ordinal);

    /// <summary>The socket-level cause (connection refused, host unreachable); these messages name no keys.</summary>
    private static string Cause(Exception? inner) => inner switch
    {
        System.Net.Sockets.SocketException socket => $": {socket.SocketErrorCode}",
        IOException io => $": {io.GetType().Name}",
        RedisConnectionException connection => $": {connection.FailureType}",
        _ => "",
    };
}
