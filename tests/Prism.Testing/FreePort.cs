using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Prism.Testing;

/// <summary>
/// Finds loopback TCP ports nobody listens on for servers a test starts. The ports come from below the kernel's
/// ephemeral range: a port the OS handed out for a listener and took back can be taken a moment later by any
/// outgoing connection (they draw from the ephemeral range), and a server started on it then fails with
/// "Address already in use". No port is handed out twice by one test process.
/// </summary>
public static class FreePort
{
    private const int Lowest = 10000;
    private static readonly int Highest = EphemeralRangeStart() - 1;
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>A port that was free a moment ago, outside the range outgoing connections use.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            if (HandedOut.TryAdd(port, true) && IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {Lowest} and {Highest}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        const int linuxDefault = 32768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var start = int.Parse(range[0], CultureInfo.InvariantCulture);
            return start > Lowest + 1000 ? start : linuxDefault;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return linuxDefault;
        }
    }
}
