using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Prism.Backends.Drivers.Nats;

/// <summary>Fails fast while the NATS connection is down instead of queueing work until it returns.</summary>
internal static class NatsAvailability
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest wait for JetStream's acknowledgement of a publish. A publish sent just as the server goes away
    /// can otherwise wait for a reconnection that may never come; past this it is UNAVAILABLE.
    /// </summary>
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Connects a never-connected client; throws <see cref="BackendUnavailableException"/> while it is reconnecting.</summary>
    public static async Task EnsureConnectedAsync(NatsConnection connection, CancellationToken cancellation)
    {
        switch (connection.ConnectionState)
        {
            case NatsConnectionState.Open:
                return;
            case NatsConnectionState.Reconnecting:
                throw new BackendUnavailableException("nats", BackendFailureCodes.Reconnecting, $"reconnecting to {Server(connection)}");
            default:
                await connection.ConnectAsync().AsTask().WaitAsync(ConnectTimeout, cancellation);
                return;
        }
    }

    /// <summary>True for errors that mean the server cannot be reached, rather than a refused request.</summary>
    public static bool IsUnavailable(Exception e, CancellationToken cancellation) => e switch
    {
        BackendUnavailableException => true,
        NatsJSApiException => false,
        NatsException or TimeoutException => true,
        OperationCanceledException => !cancellation.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// The exception to throw for <paramref name="e"/>: a code, and a detail naming the server and the error type
    /// (NATS messages can name subjects, which carry users' topic names).
    /// </summary>
    public static BackendUnavailableException Unavailable(Exception e, NatsConnection connection) => e switch
    {
        BackendUnavailableException known => known,
        TimeoutException or OperationCanceledException or NatsJSApiNoResponseException or NatsJSPublishNoResponseException or NatsNoReplyException =>
            new("nats", BackendFailureCodes.Timeout, $"no answer from {Server(connection)} in time ({e.GetType().Name})", e),
        _ => new("nats", connection.ConnectionState == NatsConnectionState.Open ? BackendFailureCodes.ConnectionLost : BackendFailureCodes.Unreachable,
            $"{e.GetType().Name} talking to {Server(connection)} (connection {connection.ConnectionState})", e),
    };

    private static string Server(NatsConnection connection) => NatsServers.Display(connection.Opts.Url);
}
