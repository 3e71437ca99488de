using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;

namespace Prism.Host.Dev.Backends;

/// <summary>redis-server on the port of PRISM_REDIS_URL, append-only file under PRISM_HOME/data/redis.</summary>
public sealed class RedisDevService(int port) : BackendDevService("redis", "redis-server", "redis-server", port)
{
    /// <inheritdoc />
    public override Uri Url => new($"redis://127.0.0.1:{Port}");

    /// <inheritdoc />
    public override IReadOnlyList<InsecureDefault> InsecureDefaults { get; } =
        [new("redis", "redis (no password)", "Production Redis requires a password or ACL user and TLS; set it in PRISM_REDIS_URL.")];

    /// <inheritdoc />
    public override ProcessStartInfo StartInfo(PrismHome home) => Program(
        "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", DataDirectory(home, Name),
        "--appendonly", "yes", "--save", "", "--daemonize", "no");

    /// <inheritdoc />
    public override async Task<bool> IsHealthyAsync(HealthChecker checker, CancellationToken cancellation)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }
}
