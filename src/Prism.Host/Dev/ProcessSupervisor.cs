using System.Diagnostics;
using System.Globalization;
using Prism.Hosting.Settings;

namespace Prism.Host.Dev;

/// <summary>
/// Starts services detached from the terminal with their output in <c>logs/NAME.log</c> and
/// their pid in <c>run/NAME.pid</c>, and stops them by that pid only.
/// </summary>
public sealed class ProcessSupervisor(PrismHome home)
{
    /// <summary>Path of the service's log file.</summary>
    public string LogFile(DevService service) => Path.Combine(home.LogsDirectory, service.Name + ".log");

    private string PidFile(DevService service) => Path.Combine(home.RunDirectory, service.Name + ".pid");

    /// <summary>True when dev up started the service and has not stopped it (its process may have died since).</summary>
    public bool WasStarted(DevService service) => File.Exists(PidFile(service));

    /// <summary>The pid of the service's live process, or null when it is not running.</summary>
    public int? RunningPid(DevService service)
    {
        var file = PidFile(service);
        if (!File.Exists(file) || !int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        // A pid can be reused by an unrelated process after a crash: trust it only when the command line matches.
        // The file stays: the service was started and is down, until dev up starts it again or dev down forgets it.
        var cmdline = $"/proc/{pid}/cmdline";
        return File.Exists(cmdline) && File.ReadAllText(cmdline).Contains(service.CommandLineMarker, StringComparison.Ordinal) ? pid : null;
    }

    /// <summary>When the running process started, for uptime.</summary>
    public static DateTimeOffset? StartTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Starts the service in its own session, detached from this terminal, and records its pid.</summary>
    public int Start(DevService service)
    {
        var start = service.StartInfo(home);
        var log = LogFile(service);
        var detached = new ProcessStartInfo("setsid") { UseShellExecute = false };
        detached.ArgumentList.Add("sh");
        detached.ArgumentList.Add("-c");
        detached.ArgumentList.Add("log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null");
        detached.ArgumentList.Add("sh");
        detached.ArgumentList.Add(log);
        detached.ArgumentList.Add(start.FileName);
        foreach (var argument in start.ArgumentList)
        {
            detached.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in start.Environment)
        {
            detached.Environment[key] = value;
        }

        File.AppendAllText(log, $"--- starting {service.Name} at {DateTimeOffset.UtcNow:O}{Environment.NewLine}");

        // setsid and sh both exec in place, so the child's pid is the service's pid.
        using var process = Process.Start(detached) ?? throw new InvalidOperationException($"Could not start {service.Name}.");
        File.WriteAllText(PidFile(service), process.Id.ToString(CultureInfo.InvariantCulture));
        return process.Id;
    }

    /// <summary>True while the pid is a live process.</summary>
    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Stops the service: SIGTERM, then SIGKILL after <paramref name="grace"/>. Returns false when it was not running.</summary>
    public async Task<bool> StopAsync(DevService service, TimeSpan grace)
    {
        if (RunningPid(service) is not { } pid)
        {
            File.Delete(PidFile(service)); // a service that died is forgotten: status shows it not started
            return false;
        }

        Signal(pid, service.StopSignal);
        var deadline = DateTime.UtcNow + grace;
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (IsAlive(pid))
        {
            Signal(pid, "KILL");
        }

        File.Delete(PidFile(service));
        return true;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
        });
        kill?.WaitForExit();
    }
}
