using System.Net.Sockets;
using System.Text;
using Prism.Backends.LocalServers;

namespace Prism.Testing.Servers;

/// <summary>
/// A throwaway redis-server on a free loopback port, without persistence unless
/// <paramref name="appendFsyncAlways"/>: then every write is in the append-only file, fsynced, before
/// the server answers it.
/// </summary>
public sealed class RedisServer(bool appendFsyncAlways = false) : ServerProcess("redis")
{
    /// <summary>StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

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
        ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
         "--save", "", "--dir", Data.Path, "--daemonize", "no",
         .. (appendFsyncAlways ? ["--appendonly", "yes", "--appendfsync", "always"] : new[] { "--appendonly", "no" })];

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellation)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellation);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellation);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, cancellation);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
