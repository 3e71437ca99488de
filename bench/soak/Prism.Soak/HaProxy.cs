using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Prism.Soak;

/// <summary>
/// HAProxy (the Debian package) terminating TLS and balancing gRPC over HTTP/2 per request across the
/// proxies and across the admins, with health checks on <c>/readyz</c> and retries of failed connections
/// on another server.
/// </summary>
internal sealed class HaProxy : IAsyncDisposable
{
    private static readonly string[] Locations = ["/usr/sbin/haproxy", "/usr/bin/haproxy"];
    private Process? _process;

    private HaProxy(int proxyPort, int adminPort)
    {
        ProxyPort = proxyPort;
        AdminPort = adminPort;
    }

    public int ProxyPort { get; }

    public int AdminPort { get; }

    public static async Task<HaProxy> StartAsync(string folder, string certificateFile, string keyFile, string caFile,
        IEnumerable<int> proxies, IEnumerable<int> admins, int proxyPort, int adminPort)
    {
        var program = Locations.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed: run 'scripts/install-deps.sh soak' as root (apt-get install haproxy)");
        var bundle = Path.Combine(folder, "haproxy.pem");
        await File.WriteAllTextAsync(bundle, await File.ReadAllTextAsync(certificateFile) + "\n" + await File.ReadAllTextAsync(keyFile));
        var config = Path.Combine(folder, "haproxy.cfg");
        await File.WriteAllTextAsync(config, Config(bundle, caFile, proxies, admins, proxyPort, adminPort));
        var haproxy = new HaProxy(proxyPort, adminPort);
        var start = new ProcessStartInfo(program, ["-W", "-db", "-f", config]) { RedirectStandardOutput = true, RedirectStandardError = true };
        haproxy._process = Process.Start(start) ?? throw new InvalidOperationException("haproxy did not start");
        var log = new StreamWriter(Path.Combine(folder, "haproxy.log")) { AutoFlush = true };
        haproxy._process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        haproxy._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        haproxy._process.BeginOutputReadLine();
        haproxy._process.BeginErrorReadLine();
        return haproxy;
    }

    private static string Config(string bundle, string caFile, IEnumerable<int> proxies, IEnumerable<int> admins, int proxyPort, int adminPort)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            global
              maxconn 4096

            defaults
              mode http
              option redispatch
              retries 3
              retry-on conn-failure empty-response
              timeout connect 1s
              timeout client 1h
              timeout server 1h
              timeout check 1s

            frontend proxy
              bind 127.0.0.1:{proxyPort} ssl crt {bundle} alpn h2
              default_backend proxies

            frontend admin
              bind 127.0.0.1:{adminPort} ssl crt {bundle} alpn h2
              default_backend admins

            """);
        Backend(text, "proxies", "proxy", proxies, caFile);
        Backend(text, "admins", "admin", admins, caFile);
        return text.ToString();
    }

    private static void Backend(StringBuilder text, string name, string prefix, IEnumerable<int> ports, string caFile)
    {
        text.Append(CultureInfo.InvariantCulture, $"""
            backend {name}
              balance roundrobin
              option httpchk GET /readyz
              default-server ssl verify required ca-file {caFile} alpn h2 check check-alpn http/1.1 inter 500ms fall 2 rise 1

            """);
        var index = 1;
        foreach (var port in ports)
        {
            text.Append(CultureInfo.InvariantCulture, $"  server {prefix}{index++} 127.0.0.1:{port}\n");
        }

        text.Append('\n');
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
