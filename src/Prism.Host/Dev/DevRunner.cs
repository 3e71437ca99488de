using System.Diagnostics;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Hosting.Tls;

namespace Prism.Host.Dev;

/// <summary>Carries out dev up, down and status, writing what a developer reads.</summary>
public sealed class DevRunner(DevCatalog catalog, PrismHome home, TextWriter output) : IDisposable
{
    private readonly ProcessSupervisor _supervisor = new(home);

    /// <summary>The PRISM_HOME this runner works in.</summary>
    public PrismHome Home => home;
    private readonly HealthChecker _health = new(OutboundTls.From(catalog.Configuration));

    /// <summary>
    /// Starts each service that is not already running, then waits for all of them at once: no
    /// module needs another to start (tokens and keys are fetched when first used), so the stack
    /// is healthy as soon as its slowest service is.
    /// </summary>
    public async Task<int> UpAsync(IReadOnlyList<DevService> services, bool json, CancellationToken cancellation)
    {
        var timeout = DevSettings.UpTimeout.Duration(catalog.Configuration);
        var clock = Stopwatch.StartNew();
        var outcomes = new List<Task<UpResult>>();
        foreach (var service in services)
        {
            if (_supervisor.RunningPid(service) is { } running && await service.IsHealthyAsync(_health, cancellation))
            {
                outcomes.Add(Task.FromResult(new UpResult(service, true, running, null, "already running", [])));
            }
            else if (_supervisor.RunningPid(service) is null && await service.IsHealthyAsync(_health, cancellation))
            {
                outcomes.Add(Task.FromResult(new UpResult(service, false, null, null,
                    "is already answering, but not from a process dev up started: stop it or change the port", [])));
            }
            else
            {
                var pid = _supervisor.RunningPid(service) ?? await StartAsync(service, json, cancellation);
                outcomes.Add(AwaitHealthyAsync(service, pid, clock, timeout, cancellation));
            }
        }

        var results = await Task.WhenAll(outcomes);
        var healthy = results.All(r => r.Healthy);
        var exports = healthy && services.Any(s => s.StartsByDefault) ? Exports(services) : [];
        if (json)
        {
            await DevJson.WriteAsync(output, new
            {
                healthy,
                services = results.Select(r => new { name = r.Service.Name, healthy = r.Healthy, url = r.Service.Url, pid = r.Pid, seconds = r.Seconds, detail = r.Detail, log = _supervisor.LogFile(r.Service) }),
                exports = exports.ToDictionary(e => e.Key, e => e.Value),
            });
            return healthy ? 0 : 1;
        }

        foreach (var result in results)
        {
            await output.WriteLineAsync(result.Report(_supervisor.LogFile(result.Service)));
        }

        if (exports.Count > 0)
        {
            await WriteWelcomeAsync(exports);
        }

        return healthy ? 0 : 1;
    }

    private async Task<UpResult> AwaitHealthyAsync(DevService service, int pid, Stopwatch clock, TimeSpan timeout, CancellationToken cancellation)
    {
        if (await _health.WaitHealthyAsync(service, () => ProcessSupervisor.IsAlive(pid), timeout, cancellation))
        {
            await service.AfterStartAsync(cancellation);
            return new UpResult(service, true, pid, clock.Elapsed.TotalSeconds, "healthy", []);
        }

        var reason = ProcessSupervisor.IsAlive(pid) ? $"not healthy after {timeout.TotalSeconds:0}s" : "exited";
        return new UpResult(service, false, pid, null, reason, [.. LastLines(_supervisor.LogFile(service), 15)]);
    }

    /// <summary>What dev up says about one service.</summary>
    private sealed record UpResult(DevService Service, bool Healthy, int? Pid, double? Seconds, string Detail, IReadOnlyList<string> LogTail)
    {
        public string Report(string log) => (Healthy, Seconds) switch
        {
            (true, { } seconds) => $"✅ {Service.Name,-10} healthy in {seconds:0.0}s  {Service.Url}  (pid {Pid})",
            (true, null) => $"✅ {Service.Name,-10} already running  {Service.Url}  (pid {Pid})",
            _ when Pid is null => $"❌ {Service.Name,-10} {Service.Url} {Detail}",
            _ => string.Join(Environment.NewLine, [$"❌ {Service.Name,-10} {Detail}; last lines of {log}:", .. LogTail.Select(line => "   " + line)]),
        };
    }

    private async Task<int> StartAsync(DevService service, bool json, CancellationToken cancellation)
    {
        await service.PrepareAsync(home, cancellation);
        var pid = _supervisor.Start(service);
        foreach (var line in service.InsecureDefaults.Select(InsecureDefaultLine.For))
        {
            await File.AppendAllTextAsync(_supervisor.LogFile(service), line + Environment.NewLine, cancellation);
            if (!json)
            {
                await output.WriteLineAsync(line);
            }
        }

        return pid;
    }

    /// <summary>Stops each service by the pid dev up recorded.</summary>
    public async Task<int> DownAsync(IReadOnlyList<DevService> named)
    {
        var services = named.Count > 0 ? named : catalog.Services;
        foreach (var service in services.Reverse())
        {
            var stopped = await _supervisor.StopAsync(service, TimeSpan.FromSeconds(10));
            if (stopped || named.Count > 0)
            {
                await output.WriteLineAsync(stopped ? $"stopped {service.Name}" : $"{service.Name} was not running");
            }
        }

        return 0;
    }

    /// <summary>
    /// Prints one line per service; exit code 0 only when every service dev up started is healthy
    /// (services nobody started are listed as not started; one that died is listed as down).
    /// </summary>
    public async Task<int> StatusAsync(bool json, CancellationToken cancellation)
    {
        var rows = new List<StatusRow>();
        foreach (var service in catalog.Services)
        {
            var pid = _supervisor.RunningPid(service);
            var healthy = await service.IsHealthyAsync(_health, cancellation);
            var state = healthy ? (pid is null ? "running, not started by dev up" : "healthy")
                : _supervisor.WasStarted(service) ? (pid is null ? "down" : "unhealthy")
                : "not started";
            var started = pid is { } p ? ProcessSupervisor.StartTime(p) : null;
            rows.Add(new StatusRow(service, state, pid, started is { } since ? DateTimeOffset.UtcNow - since : null, _supervisor.LogFile(service)));
        }

        var failing = rows.Count(r => r.State is "down" or "unhealthy");
        if (json)
        {
            await DevJson.WriteAsync(output, new
            {
                healthy = failing == 0,
                services = rows.Select(r => new
                {
                    name = r.Service.Name, state = r.State, url = r.Service.Url, version = r.Service.Version, pid = r.Pid,
                    uptime_seconds = r.Uptime is { } up ? (long?)up.TotalSeconds : null, metrics = r.Service.MetricsUrl, log = r.Log,
                }),
            });
            return failing == 0 ? 0 : 1;
        }

        var urlWidth = catalog.Services.Max(s => s.Url.ToString().Length);
        foreach (var row in rows)
        {
            await output.WriteLineAsync(row.Line(urlWidth));
        }

        return failing == 0 ? 0 : 1;
    }

    /// <summary>One service as dev status sees it.</summary>
    private sealed record StatusRow(DevService Service, string State, int? Pid, TimeSpan? Uptime, string Log)
    {
        public string Line(int urlWidth)
        {
            var url = Service.Url.ToString().PadRight(urlWidth);
            var metrics = Service.MetricsUrl is { } m ? $"  metrics {m}" : "";
            return State switch
            {
                "not started" => $"⚪ {Service.Name,-10} {url} not started (bin/prism dev up {Service.Name})",
                "healthy" => $"✅ {Service.Name,-10} {url} v{Service.Version,-8} up {FormatUptime(Uptime ?? TimeSpan.Zero)}{metrics}",
                "running, not started by dev up" => $"✅ {Service.Name,-10} {url} v{Service.Version,-8} not started by dev up",
                "down" => $"❌ {Service.Name,-10} {url} down: its process exited (see {Log}; bin/prism dev up {Service.Name} starts it again)",
                _ => $"❌ {Service.Name,-10} {url} {State} (pid {Pid}; see {Log})",
            };
        }
    }

    /// <summary>What a shell needs to use the stack (<c>prism dev env</c> prints the same).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Exports(IReadOnlyList<DevService> services) =>
        [.. services.SelectMany(s => s.ShellExports).Append(KeyValuePair.Create("PRISM_LOCAL_DEV", "true")).Concat(ClientExports(services))
            .Select(e => e.Key == "OTEL_EXPORTER_OTLP_ENDPOINT" && CoreSettings.TlsCertificate.IsSet(catalog.Configuration)
                ? KeyValuePair.Create(e.Key, new UriBuilder(e.Value) { Scheme = Uri.UriSchemeHttps }.Uri.ToString().TrimEnd('/'))
                : e)
            .DistinctBy(e => e.Key)];

    private async Task WriteWelcomeAsync(IReadOnlyList<KeyValuePair<string, string>> exports)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync("Prism is up. Developer identity: dev@local.prism / devpass (admin), test@local.prism / devpass (viewer)");
        await output.WriteLineAsync($"Logs: {home.LogsDirectory}    Stop: bin/prism dev down");
        await output.WriteLineAsync();
        await output.WriteLineAsync("# paste into your shell (or: eval \"$(bin/prism dev env)\"; or: bin/prism dev run -- <command>):");
        foreach (var (name, value) in exports)
        {
            await output.WriteLineAsync($"export {name}={value}");
        }
    }

    /// <summary>What prismctl and clients need: the admin and proxy URLs, and with TLS the CA to trust.</summary>
    private IEnumerable<KeyValuePair<string, string>> ClientExports(IReadOnlyList<DevService> services)
    {
        foreach (var (service, variable) in new[] { ("admin", "PRISM_ADMIN_ENDPOINT"), ("proxy", "PRISM_PROXY_ENDPOINT") })
        {
            if (services.FirstOrDefault(s => s.Name == service) is { } running)
            {
                yield return KeyValuePair.Create(variable, new UriBuilder(running.Url) { Host = "localhost" }.Uri.ToString().TrimEnd('/'));
            }
        }

        if (!CoreSettings.TlsCertificate.IsSet(catalog.Configuration))
        {
            yield break;
        }

        if (TlsSettings.CaBundle.Text(catalog.Configuration) is { Length: > 0 } ca)
        {
            yield return KeyValuePair.Create(TlsSettings.CaBundle.EnvironmentVariable, ca);
            if (services.Any(s => s.ShellExports.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT")))
            {
                // The OpenTelemetry SDK's own trust setting, for prismctl's trace export to the https receiver.
                yield return KeyValuePair.Create("OTEL_EXPORTER_OTLP_CERTIFICATE", ca);
            }
        }
    }

    /// <summary>Prints the last <paramref name="lines"/> of the service's log; with <paramref name="follow"/>, what it writes next.</summary>
    public async Task<int> LogsAsync(DevService service, int lines, bool follow, CancellationToken cancellation)
    {
        var file = _supervisor.LogFile(service);
        if (!File.Exists(file))
        {
            await Console.Error.WriteLineAsync($"prism dev: {service.Name} has no log yet ({file}); bin/prism dev up {service.Name} starts it");
            return 1;
        }

        foreach (var line in LastLines(file, Math.Max(lines, 0)))
        {
            await output.WriteLineAsync(line);
        }

        if (!follow)
        {
            return 0;
        }

        await output.FlushAsync(cancellation);
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(0, SeekOrigin.End);
        using var reader = new StreamReader(stream);
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                if (await reader.ReadLineAsync(cancellation) is { } line)
                {
                    await output.WriteLineAsync(line);
                    await output.FlushAsync(cancellation);
                }
                else
                {
                    await Task.Delay(200, cancellation);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }

        return 0;
    }

    private static string FormatUptime(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds:00}s" : $"{span.Seconds}s";

    private static IEnumerable<string> LastLines(string file, int count) =>
        File.Exists(file) ? File.ReadLines(file).TakeLast(count) : [];

    /// <inheritdoc />
    public void Dispose() => _health.Dispose();
}
