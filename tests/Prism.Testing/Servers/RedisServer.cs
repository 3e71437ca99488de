using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Prism.Hosting.Tls;
using Prism.Backends.LocalServers;

namespace Prism.Testing.Servers;

/// <summary>
/// A throwaway redis-server on a free loopback port, without persistence unless
/// <paramref name="appendFsyncAlways"/>: then every write is in the append-only file, fsynced, before
/// the server answers it. With <paramref name="tls"/> it listens only on a TLS port (<c>--tls-port</c>) with
/// that CA's server certificate and, with <paramref name="requireClientCertificates"/>, refuses clients
/// without a certificate from the same CA.
/// </summary>
public sealed class RedisServer(bool appendFsyncAlways = false, TestCertificates? tls = null, bool requireClientCertificates = false)
    : ServerProcess("redis")
{
    /// <summary>StackExchange.Redis configuration string of this server (<c>ssl=true</c> in TLS mode).</summary>
    public string Configuration => tls is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},ssl=true";

    /// <summary>The URL of this server: <c>redis://</c>, or <c>rediss://</c> in TLS mode.</summary>
    public string Url => $"{(tls is null ? "redis" : "rediss")}://127.0.0.1:{Port}";

    /// <summary>Starts a new server (with <paramref name="appendFsyncAlways"/>: AOF, fsync on every write).</summary>
    public static async Task<RedisServer> StartNewAsync(bool appendFsyncAlways = false)
    {
        var server = new RedisServer(appendFsyncAlways);
        await server.StartAsync();
        return server;
    }

    /// <summary>
    /// Production posture: the passwordless <c>default</c> user is switched off and an
    /// administrator user (every command, key and channel) is created. Returns its configuration string.
    /// </summary>
    public async Task<string> RequireAuthenticationAsync()
    {
        const string user = "prism-admin", password = "prism-admin-password";
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Configuration))
        {
            var db = redis.GetDatabase();
            await db.ExecuteAsync("ACL", "SETUSER", user, "on", ">" + password, "~*", "&*", "+@all");
            await db.ExecuteAsync("ACL", "SETUSER", "default", "off");
        }

        return $"{Configuration},user={user},password={password}";
    }

    /// <inheritdoc />
    protected override string Program() => ServerBinary.Find("redis-server", "redis-server");

    /// <inheritdoc />
    protected override IEnumerable<string> Arguments() =>
        [.. Listener(), "--bind", "127.0.0.1",
         "--save", "", "--dir", Data.Path, "--daemonize", "no",
         .. (appendFsyncAlways ? ["--appendonly", "yes", "--appendfsync", "always"] : new[] { "--appendonly", "no" })];

    private IEnumerable<string> Listener()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return tls is null
            ? ["--port", port]
            :
            [
                "--port", "0", "--tls-port", port,
                "--tls-cert-file", tls.ServerCertificateFile, "--tls-key-file", tls.ServerKeyFile,
                "--tls-ca-cert-file", tls.CaFile, "--tls-auth-clients", requireClientCertificates ? "yes" : "no",
            ];
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellation)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellation);
        Stream stream = client.GetStream();
        if (tls is not null)
        {
            var secure = new SslStream(stream);
            await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                RemoteCertificateValidationCallback = CertificateTrust.ServerValidator(tls.Roots()),
                ClientCertificates = requireClientCertificates
                    ? [System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(tls.ClientCertificateFile, tls.ClientKeyFile)]
                    : null,
            }, cancellation);
            stream = secure;
        }

        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellation);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, cancellation);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
