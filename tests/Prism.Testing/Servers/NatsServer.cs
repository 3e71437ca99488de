using System.Net.Sockets;
using System.Text;
using Prism.Backends.LocalServers;

namespace Prism.Testing.Servers;

/// <summary>
/// A throwaway nats-server with JetStream on a free loopback port; its store survives restarts. With
/// <paramref name="tls"/> it requires TLS with that CA's server certificate and client certificates from the same CA.
/// </summary>
public sealed class NatsServer(TestCertificates? tls = null) : ServerProcess("nats")
{
    /// <summary>URL of this server: <c>nats://</c>, or <c>tls://</c> in TLS mode.</summary>
    public string Url => $"{(tls is null ? "nats" : "tls")}://127.0.0.1:{Port}";

    /// <summary>Starts a new server.</summary>
    public static async Task<NatsServer> StartNewAsync()
    {
        var server = new NatsServer();
        await server.StartAsync();
        return server;
    }

    /// <inheritdoc />
    protected override string Program() => ServerBinary.Find("nats-server", "nats-server");

    /// <inheritdoc />
    protected override IEnumerable<string> Arguments() =>
        ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", Data.Path,
         .. (tls is null ? [] : new[] { "--tlsverify", "--tlscert", tls.ServerCertificateFile, "--tlskey", tls.ServerKeyFile, "--tlscacert", tls.CaFile })];

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellation)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellation);
        var buffer = new byte[512];
        var read = await client.GetStream().ReadAsync(buffer, cancellation);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("INFO ", StringComparison.Ordinal);
    }
}
