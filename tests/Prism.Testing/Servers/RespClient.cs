using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Prism.Testing.Servers;

/// <summary>
/// One plain RESP command to a loopback redis-server, answered as text (an array as one element a line).
/// For fixtures that configure servers before any Redis client may talk to them (cluster setup).
/// </summary>
public static class RespClient
{
    /// <summary>Sends <paramref name="arguments"/> to 127.0.0.1:<paramref name="port"/>; an error reply throws.</summary>
    public static Task<string> SendAsync(int port, params string[] arguments) => SendAllAsync(port, [arguments]);

    /// <summary>Logs in as <paramref name="user"/> (AUTH), then sends <paramref name="arguments"/> on the same connection.</summary>
    public static Task<string> SendAsAsync(int port, string user, string password, params string[] arguments) =>
        SendAllAsync(port, [["AUTH", user, password], arguments]);

    private static async Task<string> SendAllAsync(int port, string[][] commands)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await using var stream = client.GetStream();
        var request = new StringBuilder();
        foreach (var arguments in commands)
        {
            request.Append(CultureInfo.InvariantCulture, $"*{arguments.Length}\r\n");
            foreach (var argument in arguments)
            {
                request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
            }
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        using var reader = new BufferedStream(stream);
        var reply = "";
        foreach (var arguments in commands)
        {
            reply = await ReadAsync(reader, port, arguments);
        }

        return reply;
    }

    private static async Task<string> ReadAsync(Stream reader, int port, string[] arguments)
    {
        var line = await ReadLineAsync(reader);
        var body = line[1..];
        switch (line[0])
        {
            case '+':
            case ':':
                return body;
            case '-':
                throw new InvalidOperationException($"redis on port {port} refused {string.Join(' ', arguments.Take(3))}: {body}");
            case '$':
                var length = int.Parse(body, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return "";
                }

                var bytes = new byte[length + 2];
                await reader.ReadExactlyAsync(bytes);
                return Encoding.UTF8.GetString(bytes, 0, length);
            case '*':
                var count = int.Parse(body, CultureInfo.InvariantCulture);
                var items = new List<string>();
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadAsync(reader, port, arguments));
                }

                return string.Join('\n', items);
            default:
                throw new InvalidOperationException($"unexpected RESP reply from port {port}: {line}");
        }
    }

    private static async Task<string> ReadLineAsync(Stream reader)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await reader.ReadAsync(one) == 0)
            {
                throw new IOException("connection closed before the reply ended");
            }

            if (one[0] == '\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }

            line.Append((char)one[0]);
        }
    }
}
