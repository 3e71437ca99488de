using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;

namespace Prism.Host.Dev.Backends;

/// <summary>nats-server with JetStream on the port of PRISM_NATS_URL, store under PRISM_HOME/data/nats.</summary>
public sealed class NatsDevService(int port) : BackendDevService("nats", "nats-server", "nats-server", port)
{
    /// <inheritdoc />
    public override Uri Url => new($"nats://127.0.0.1:{Port}");

    /// <inheritdoc />
    public override IReadOnlyList<InsecureDefault> InsecureDefaults { get; } =
        [new("nats", "nats (no authentication)", "Production NATS requires credentials (nkeys or user/password) and TLS; set them in PRISM_NATS_URL.")];

    /// <inheritdoc />
    public override ProcessStartInfo StartInfo(PrismHome home) => Program(
        "-a", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-js", "-sd", DataDirectory(home, Name));

    /// <inheritdoc />
    public override async Task<bool> IsHealthyAsync(HealthChecker checker, CancellationToken cancellation)
    {
        try
        {
            // A NATS server greets every connection with an INFO line.
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var buffer = new byte[4];
            var read = await client.GetStream().ReadAtLeastAsync(buffer, 4, throwOnEndOfStream: false, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read) == "INFO";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }
}
