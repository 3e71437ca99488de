using System.Diagnostics;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Hosting.Tls;

namespace Prism.Host.Dev;

/// <summary>Carries out dev up, down and status, writing what a developer reads.</summary>
public sealed class DevRunner(DevCatalog catalog, PrismHome home, TextWriter output) : IDisposable
{
    private readonly ProcessSupervisor _supervisor = new(home);
    private readonly HealthChecker _health = new(OutboundTls.From(catalog.Configuration));

    /// <summary>
    /// Starts each service that is not already running, then waits for all of them at once: no
    /// module needs another to start (tokens and keys are fetched when first used), so the stack
    /// is healthy as soon as its slowest service is.
    /// </summary>
    public async Task<int> UpAsync(IReadOnlyList<DevService> services, CancellationToken cancellation)
    {
        var timeout = DevSettings.UpTimeout.Duration(catalog.Configuration);
        var clock = Stopwatch.StartNew();
        var outcomes = new List<Task<(bool Healthy, string Report)>>();
        foreach (var service in services)
        {
            if (_supervisor.RunningPid(service) is { } running && await service.IsHealthyAsync(_health, cancellation))
            {
                outcomes.Add(Task.FromResult((true, $"✅ {service.Name,-10} already running  {service.Url}  (pid {running})")));
            }
            else if (_supervisor.RunningPid(service) is null && await service.IsHealthyAsync(_health, cancellation))
            {
                outcomes.Add(Task.FromResult((false, $"❌ {service.Name,-10} {service.Url} is already answering, but not from a process dev up started: stop it or change the port")));
            }
            else
            {
                var pid = _supervisor.RunningPid(service) ?? await StartAsync(service, cancellation);
                outcomes.Add(AwaitHealthyAsync(service, pid, clock, timeout, cancellation));
            }
        }

        var results = await Task.WhenAll(outcomes);
        foreach (var (_, report) in results)
        {
            await output.WriteLineAsync(report);
        }

        var failed = results.Count(r => !r.Healthy);
        if (failed == 0 && services.Any(s => s.StartsByDefault))
        {
            await WriteWelcomeAsync(services);
        }

        return failed == 0 ? 0 : 1;
    }

    private async Task<(bool Healthy, string Report)> AwaitHealthyAsync(DevService service, int pid, Stopwatch clock, TimeSpan timeout, CancellationToken cancellation)
    {
        if (await _health.WaitHealthyAsync(service, () => ProcessSupervisor.IsAlive(pid), timeout, cancellation))
        {
            await service.AfterStartAsync(cancellation);
            return (true, $"✅ {service.Name,-10} healthy in {clock.Elapsed.TotalSeconds:0.0}s  {service.Url}  (pid {pid})");
        }

        var reason = ProcessSupervisor.IsAlive(pid) ? $"not healthy after {timeout.TotalSeconds:0}s" : "exited";
        var lines = LastLines(_supervisor.LogFile(service), 15).Select(line => "   " + line);
        return (false, string.Join(Environment.NewLine, [$"❌ {service.Name,-10} {reason}; last lines of {_supervisor.LogFile(service)}:", .. lines]));
    }

    private async Task<int> StartAsync(DevService service, CancellationToken cancellation)
    {
        await service.PrepareAsync(home, cancellation);
        var pid = _supervisor.Start(service);
        foreach (var line in service.InsecureDefaults.Select(InsecureDefaultLine.For))
        {
            await File.AppendAllTextAsync(_supervisor.LogFile(service), line + Environment.NewLine, cancellation);
            await output.WriteLineAsync(line);
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
    public async Task<int> StatusAsync(CancellationToken cancellation)
    {
        var unhealthy = 0;
        var urlWidth = catalog.Services.Max(s => s.Url.ToString().Length);
        foreach (var service in catalog.Services)
        {
            var url = service.Url.ToString().PadRight(urlWidth);
            var wasStarted = _supervisor.WasStarted(service);
            var pid = _supervisor.RunningPid(service);
            var healthy = await service.IsHealthyAsync(_health, cancellation);
            if (!healthy && !wasStarted)
            {
                await output.WriteLineAsync($"⚪ {service.Name,-10} {url} not started (bin/prism dev up {service.Name})");
                continue;
            }

            unhealthy += healthy ? 0 : 1;
            var uptime = pid is { } p && ProcessSupervisor.StartTime(p) is { } started
                ? "up " + FormatUptime(DateTimeOffset.UtcNow - started)
                : healthy ? "not started by dev up" : "down";
            await output.WriteLineAsync($"{(healthy ? "✅" : "❌")} {service.Name,-10} {url} v{service.Version,-8} {uptime}");
        }

        return unhealthy == 0 ? 0 : 1;
    }

    private async Task WriteWelcomeAsync(IReadOnlyList<DevService> services)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync("Prism is up. Developer identity: dev@local.prism / devpass (admin), test@local.prism / devpass (viewer)");
        await output.WriteLineAsync($"Logs: {home.LogsDirectory}    Stop: bin/prism dev down");
        var exports = services.SelectMany(s => s.ShellExports).Append(KeyValuePair.Create("PRISM_LOCAL_DEV", "true")).Concat(TlsExports(services));
        await output.WriteLineAsync();
        await output.WriteLineAsync("# paste into your shell:");
        foreach (var (name, value) in exports.DistinctBy(e => e.Key))
        {
            await output.WriteLineAsync($"export {name}={value}");
        }
    }

    /// <summary>With TLS, what prismctl needs: the https admin and proxy URLs and the CA to trust.</summary>
    private IEnumerable<KeyValuePair<string, string>> TlsExports(IReadOnlyList<DevService> services)
    {
        if (!CoreSettings.TlsCertificate.IsSet(catalog.Configuration))
        {
            yield break;
        }

        if (TlsSettings.CaBundle.Text(catalog.Configuration) is { Length: > 0 } ca)
        {
            yield return KeyValuePair.Create(TlsSettings.CaBundle.EnvironmentVariable, ca);
        }

        foreach (var (service, variable) in new[] { ("admin", "PRISM_ADMIN_ENDPOINT"), ("proxy", "PRISM_PROXY_ENDPOINT") })
        {
            if (services.FirstOrDefault(s => s.Name == service) is { } running)
            {
                yield return KeyValuePair.Create(variable, new UriBuilder(running.Url) { Host = "localhost" }.Uri.ToString().TrimEnd('/'));
            }
        }
    }

    private static string FormatUptime(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds:00}s" : $"{span.Seconds}s";

    private static IEnumerable<string> LastLines(string file, int count) =>
        File.Exists(file) ? File.ReadLines(file).TakeLast(count) : [];

    /// <inheritdoc />
    public void Dispose() => _health.Dispose();
}
